/**
 * The zod every schema of ours is written in: zod/mini, the functional form whose unused parts
 * tree-shake away (issue 12 item 6: about 70 KB less per bundle than classic zod, whose schema
 * classes carry every method and the JSON Schema converter). Classic zod loads its English
 * locale by itself; mini loads none, so this module does, before any schema parses: messages
 * read exactly as they did (zh-CN is rendered from the issue in shared/http/locale.ts).
 * Import `* as z from '…/domain/zod'`, never 'zod' or 'zod/mini' directly (a test holds it).
 */
import { config } from 'zod/mini';
import en from 'zod/v4/locales/en.js';

config(en());

export * from 'zod/mini';

/**
 * The little XML an XLSX needs. Writing: text and attribute escaping, with characters XML 1.0
 * cannot carry written as OOXML's `_xHHHH_` escapes. Reading: a tokenizer over the parts'
 * elements (namespace prefixes dropped, comments, processing instructions and CDATA handled),
 * enough for the flat, machine-written parts of a workbook; not a general XML parser.
 */

// ---------------------------------------------------------------- writing

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };

/** Text for an element or a double-quoted attribute. */
export function esc(text: string): string {
  return (
    text
      .replace(/_(x[0-9A-Fa-f]{4}_)/g, '_x005F_$1') // a literal "_x0041_" must not read back as "A"
      // biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters XML 1.0 cannot carry
      .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, (c) => `_x${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}_`)
      .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD')
      .replace(/[&<>"]/g, (c) => ENTITIES[c] as string)
  );
}

// ---------------------------------------------------------------- reading

export interface Tag {
  /** Local name: `x:c` is `c`. */
  name: string;
  close: boolean;
  selfClosing: boolean;
  attrs: string;
}

export type Token = { tag: Tag } | { text: string };

/** Elements, and text between them (entities decoded); comments and `<?…?>` skipped. */
export function* tokens(xml: string): Generator<Token> {
  const re = /<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<!\[CDATA\[([\s\S]*?)\]\]>|<!DOCTYPE[^>]*>|<(\/?)([A-Za-z_][\w.:-]*)((?:[^>"']|"[^"]*"|'[^']*')*?)(\/?)>|([^<]+)/g;
  for (let m = re.exec(xml); m; m = re.exec(xml)) {
    if (m[1] !== undefined) yield { text: m[1] };
    else if (m[3] !== undefined) {
      const qname = m[3];
      yield { tag: { name: qname.slice(qname.indexOf(':') + 1), close: m[2] === '/', selfClosing: m[5] === '/', attrs: m[4] ?? '' } };
    } else if (m[6] !== undefined) yield { text: decodeEntities(m[6]) };
  }
}

/** An attribute's value by local name (`r:id` is found as `id`), entities decoded. */
const ATTR_RES = new Map<string, RegExp>();
export function attr(tag: Tag, name: string): string | undefined {
  let re = ATTR_RES.get(name);
  if (!re) {
    re = new RegExp(`(?:^|\\s)(?:[\\w.-]+:)?${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)')`);
    ATTR_RES.set(name, re);
  }
  const m = re.exec(tag.attrs);
  return m ? decodeEntities(m[1] ?? m[2] ?? '') : undefined;
}

function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(#x[0-9A-Fa-f]+|#\d+|amp|lt|gt|quot|apos);/g, (_, e: string) => {
    if (e[0] === '#') {
      const code = e[1] === 'x' ? Number.parseInt(e.slice(2), 16) : Number.parseInt(e.slice(1), 10);
      return code <= 0x10ffff ? String.fromCodePoint(code) : '\uFFFD';
    }
    return { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }[e] as string;
  });
}

/** OOXML string escapes (`_x000D_` is a carriage return; `_x005F_` a literal underscore). */
export function unescapeOoxml(text: string): string {
  if (!text.includes('_x')) return text;
  return text.replace(/_x([0-9A-Fa-f]{4})_/g, (_, h: string) => String.fromCharCode(Number.parseInt(h, 16)));
}

/**
 * `npm run synth` runs this first: the stack deploys web/dist, so it must be built and current.
 * Builds only when web/dist is missing or older than web/src (local/console.ts), offline.
 */
import { ensureConsoleBuilt } from './console';

const built = await ensureConsoleBuilt((line) => console.log(line));
if (!built) {
  console.error('web/dist could not be built; the stack cannot deploy the console without it');
  process.exit(1);
}

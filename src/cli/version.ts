/** The toolkit's version, from package.json: `--version`, and the pages and reports that say which build wrote them. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const VERSION = (JSON.parse(readFileSync(fileURLToPath(new URL('../../package.json', import.meta.url)), 'utf8')) as { version: string }).version;

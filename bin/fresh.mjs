// Whether dist/ (written by scripts/build.mjs at `npm install`) was built from
// the sources as they are now. The build records a fingerprint of every file it
// read (esbuild's metafile: model/, src/, proofs/), of package.json, of the
// lockfile and of the build script; a start recomputes it from the same list.
// Any difference, or a file gone, means stale: the caller runs the sources
// through tsx instead, so an edited source is never shadowed by an old bundle.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ROOT = new URL('..', import.meta.url);
export const MANIFEST = 'dist/build.json';
/** Files that shape the bundle without being imported by it. */
export const EXTRA_INPUTS = ['package.json', 'package-lock.json', 'scripts/build.mjs', 'bin/fresh.mjs'];

/** sha256 over each file's path and contents, in the order given; undefined if one cannot be read. */
export function fingerprint(root, files) {
  const h = createHash('sha256');
  for (const f of files) {
    let body;
    try {
      body = readFileSync(join(root, f));
    } catch {
      return undefined;
    }
    h.update(f).update('\0').update(String(body.length)).update('\0').update(body);
  }
  return h.digest('hex');
}

/** The built entry `name` (e.g. 'cli/main.mjs') as a file URL when dist/ is fresh; undefined otherwise. */
export function freshEntry(name, root = fileURLToPath(ROOT)) {
  if (process.env.IOASID_VERIFY_NO_DIST === '1') return undefined;
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(join(root, MANIFEST), 'utf8'));
  } catch {
    return undefined;
  }
  if (!Array.isArray(manifest.inputs) || !Array.isArray(manifest.entries) || !manifest.entries.includes(name)) return undefined;
  if (fingerprint(root, manifest.inputs) !== manifest.fingerprint) return undefined;
  return pathToFileURL(join(root, 'dist', name));
}

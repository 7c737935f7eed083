/*
 * Dependencies point one way (STYLE.md): proofs/ imports model/ and nothing
 * else of the project (no src/, no spec/), plus z3-solver and node built-ins.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const dir = join(import.meta.dirname, '../../proofs');

function imports(file: string): string[] {
  const text = readFileSync(join(dir, file), 'utf8');
  return [...text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'";]*?from\s*'([^']+)'/g), ...text.matchAll(/import\(\s*'([^']+)'\s*\)/g)].map(
    (m) => m[1]!,
  );
}

describe('proofs/ depends on model/ only', () => {
  const files = readdirSync(dir).filter((f) => f.endsWith('.ts'));

  it('has files to check, and finds their imports', () => {
    expect(files).toContain('index.ts');
    expect(imports('symstep.ts')).toContain('../model/index');
  });

  it.each(files)('%s imports only proofs/, model/, z3-solver and node:', (file) => {
    for (const spec of imports(file)) {
      const ok = spec.startsWith('./') || spec.startsWith('../model/') || spec === 'z3-solver' || spec.startsWith('node:');
      expect(ok, `${file} imports ${spec}`).toBe(true);
    }
  });
});

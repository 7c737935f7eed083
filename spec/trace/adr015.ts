/**
 * A strict checker of the Informal Trace Format (Apalache ADR-015), written
 * from the ADR, independent of src/trace: it returns every problem it finds
 * (empty: valid).
 *
 * Checked: the top-level keys (`#meta`, `params`, `vars`, `states`, `loop`);
 * `vars` a list of distinct names; every state an object defining every
 * variable of `vars` (and `params`) and nothing else but `#meta`; every value
 * an ITF value (booleans, strings, `{"#bigint": "[-][0-9]+"}`, lists,
 * `#tup`, `#set` without duplicates, `#map` of pairs without duplicate keys,
 * `#unserializable`, records, variants `{tag, value}`); strict: plain JSON
 * numbers are refused (ADR-015 writes integers as `#bigint`); each variable of
 * one type in every state, and elements of a collection of one type; and
 * when `#meta.varTypes` is given (Apalache's type notation), that it names
 * every variable and every value has its type.
 */

export type Problems = string[];

// ---- types, as inferred from values ----------------------------------------

type Ty =
  | { k: 'unknown' }
  | { k: 'int' }
  | { k: 'bool' }
  | { k: 'str' }
  | { k: 'seq'; e: Ty }
  | { k: 'set'; e: Ty }
  | { k: 'map'; key: Ty; val: Ty }
  | { k: 'tup'; es: Ty[] }
  | { k: 'rec'; fields: Map<string, Ty> }
  | { k: 'variant'; cases: Map<string, Ty> }
  | { k: 'unser' };

const UNKNOWN: Ty = { k: 'unknown' };

function show(t: Ty): string {
  switch (t.k) {
    case 'unknown':
      return '?';
    case 'int':
      return 'Int';
    case 'bool':
      return 'Bool';
    case 'str':
      return 'Str';
    case 'unser':
      return 'Unserializable';
    case 'seq':
      return `Seq(${show(t.e)})`;
    case 'set':
      return `Set(${show(t.e)})`;
    case 'map':
      return `${show(t.key)} -> ${show(t.val)}`;
    case 'tup':
      return `<<${t.es.map(show).join(', ')}>>`;
    case 'rec':
      return `{ ${[...t.fields].map(([f, x]) => `${f}: ${show(x)}`).join(', ')} }`;
    case 'variant':
      return [...t.cases].map(([c, x]) => `${c}(${show(x)})`).join(' | ');
  }
}

/** The most specific type of both, or a string saying why there is none. */
function unify(a: Ty, b: Ty): Ty | string {
  if (a.k === 'unknown') return b;
  if (b.k === 'unknown') return a;
  const clash = `${show(a)} vs ${show(b)}`;
  if (a.k !== b.k) return clash;
  switch (a.k) {
    case 'seq':
    case 'set': {
      const e = unify(a.e, (b as typeof a).e);
      return typeof e === 'string' ? e : { k: a.k, e };
    }
    case 'map': {
      const bb = b as typeof a;
      const key = unify(a.key, bb.key);
      if (typeof key === 'string') return key;
      const val = unify(a.val, bb.val);
      return typeof val === 'string' ? val : { k: 'map', key, val };
    }
    case 'tup': {
      const bb = b as typeof a;
      if (a.es.length !== bb.es.length) return clash;
      const es: Ty[] = [];
      for (let i = 0; i < a.es.length; i++) {
        const e = unify(a.es[i]!, bb.es[i]!);
        if (typeof e === 'string') return e;
        es.push(e);
      }
      return { k: 'tup', es };
    }
    case 'rec': {
      const bb = b as typeof a;
      const fa = [...a.fields.keys()].sort().join(',');
      const fb = [...bb.fields.keys()].sort().join(',');
      if (fa !== fb) return `records with fields {${fa}} vs {${fb}}`;
      const fields = new Map<string, Ty>();
      for (const [f, x] of a.fields) {
        const u = unify(x, bb.fields.get(f)!);
        if (typeof u === 'string') return `field ${f}: ${u}`;
        fields.set(f, u);
      }
      return { k: 'rec', fields };
    }
    case 'variant': {
      // A variant type is the union of the cases seen; a case keeps one payload type.
      const cases = new Map(a.cases);
      for (const [c, x] of (b as typeof a).cases) {
        const prev = cases.get(c);
        const u = prev ? unify(prev, x) : x;
        if (typeof u === 'string') return `case ${c}: ${u}`;
        cases.set(c, u);
      }
      return { k: 'variant', cases };
    }
    default:
      return a;
  }
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const canon = (v: unknown): string => JSON.stringify(v, (_k, x: unknown) => (isObj(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => (a < b ? -1 : 1))) : x));

/** Checks one value, pushing problems under `at`; returns its type. */
function valueType(v: unknown, at: string, out: Problems): Ty {
  const bad = (msg: string): Ty => (out.push(`${at}: ${msg}`), UNKNOWN);
  const all = (xs: readonly unknown[], where: (i: number) => string): Ty => {
    let t: Ty = UNKNOWN;
    xs.forEach((x, i) => {
      const u = unify(t, valueType(x, where(i), out));
      if (typeof u === 'string') out.push(`${where(i)}: element of another type than the others (${u})`);
      else t = u;
    });
    return t;
  };
  if (typeof v === 'boolean') return { k: 'bool' };
  if (typeof v === 'string') return { k: 'str' };
  if (typeof v === 'number') return bad(`plain JSON number ${v}; ADR-015 writes integers as {"#bigint": "${v}"}`);
  if (v === null) return bad('null is not an ITF value');
  if (Array.isArray(v)) return { k: 'seq', e: all(v, (i) => `${at}[${i}]`) };
  if (!isObj(v)) return bad(`not an ITF value: ${typeof v}`);
  const keys = Object.keys(v);
  const special = keys.filter((k) => k.startsWith('#'));
  if (special.length > 0) {
    if (keys.length !== 1) return bad(`an object with ${special[0]} must have no other key, has ${keys.join(', ')}`);
    const [k] = special;
    const x = v[k!];
    switch (k) {
      case '#bigint':
        return typeof x === 'string' && /^-?(0|[1-9][0-9]*)$/.test(x) ? { k: 'int' } : bad(`#bigint must be a decimal string [-][0-9]+, got ${JSON.stringify(x)}`);
      case '#tup':
        return Array.isArray(x) ? { k: 'tup', es: x.map((e, i) => valueType(e, `${at}.#tup[${i}]`, out)) } : bad('#tup must be a list');
      case '#set': {
        if (!Array.isArray(x)) return bad('#set must be a list');
        const seen = new Set<string>();
        x.forEach((e, i) => {
          const c = canon(e);
          if (seen.has(c)) out.push(`${at}.#set[${i}]: duplicate element ${c}`);
          seen.add(c);
        });
        return { k: 'set', e: all(x, (i) => `${at}.#set[${i}]`) };
      }
      case '#map': {
        if (!Array.isArray(x)) return bad('#map must be a list of [key, value] pairs');
        const seen = new Set<string>();
        let key: Ty = UNKNOWN;
        let val: Ty = UNKNOWN;
        x.forEach((p, i) => {
          const where = `${at}.#map[${i}]`;
          if (!Array.isArray(p) || p.length !== 2) return void out.push(`${where}: not a [key, value] pair`);
          const c = canon(p[0]);
          if (seen.has(c)) out.push(`${where}: duplicate key ${c}`);
          seen.add(c);
          const uk = unify(key, valueType(p[0], `${where}[0]`, out));
          const uv = unify(val, valueType(p[1], `${where}[1]`, out));
          if (typeof uk === 'string') out.push(`${where}: key of another type (${uk})`);
          else key = uk;
          if (typeof uv === 'string') out.push(`${where}: value of another type (${uv})`);
          else val = uv;
        });
        return { k: 'map', key, val };
      }
      case '#unserializable':
        return typeof x === 'string' ? { k: 'unser' } : bad('#unserializable must be a string');
      default:
        return bad(`unknown ITF form ${k}`);
    }
  }
  if (keys.length === 2 && 'tag' in v && 'value' in v) {
    if (typeof v.tag !== 'string') return bad('a variant tag must be a string');
    return { k: 'variant', cases: new Map([[v.tag, valueType(v.value, `${at}.value`, out)]]) };
  }
  if (keys.includes('')) return bad('a record field name must not be empty');
  return { k: 'rec', fields: new Map(keys.map((f) => [f, valueType(v[f], `${at}.${f}`, out)])) };
}

// ---- Apalache's type notation, for #meta.varTypes --------------------------

/** Parses `Int -> Seq({ a: Int, b: Some(Int) | None(<<>>) })` and the like. */
export function parseType(text: string): Ty {
  const toks = text.match(/->|<<|>>|[A-Za-z_][A-Za-z0-9_]*|[(){}:,|]|\S/g) ?? [];
  let i = 0;
  const peek = (): string | undefined => toks[i];
  const eat = (t?: string): string => {
    const x = toks[i++];
    if (x === undefined || (t !== undefined && x !== t)) throw new Error(`type '${text}': expected ${t ?? 'more'} at token ${i}, got ${x ?? 'end'}`);
    return x;
  };
  const list = <T>(close: string, item: () => T): T[] => {
    const xs: T[] = [];
    if (peek() === close) return eat(close), xs;
    for (;;) {
      xs.push(item());
      if (peek() === ',') eat(',');
      else return eat(close), xs;
    }
  };
  const primary = (): Ty => {
    const t = eat();
    if (t === '(') {
      const x = arrow();
      eat(')');
      return x;
    }
    if (t === '<<') return { k: 'tup', es: list('>>', arrow) };
    if (t === '{') return { k: 'rec', fields: new Map(list('}', () => [eat(), (eat(':'), arrow())] as const)) };
    if (t === 'Int') return { k: 'int' };
    if (t === 'Bool') return { k: 'bool' };
    if (t === 'Str') return { k: 'str' };
    if ((t === 'Set' || t === 'Seq') && peek() === '(') {
      eat('(');
      const e = arrow();
      eat(')');
      return { k: t === 'Set' ? 'set' : 'seq', e };
    }
    if (/^[A-Z][A-Za-z0-9_]*$/.test(t) && peek() === '(') {
      eat('(');
      const x = arrow();
      eat(')');
      return { k: 'variant', cases: new Map([[t, x]]) };
    }
    throw new Error(`type '${text}': unexpected ${t}`);
  };
  const union = (): Ty => {
    let t = primary();
    while (peek() === '|') {
      eat('|');
      const u = primary();
      if (t.k !== 'variant' || u.k !== 'variant') throw new Error(`type '${text}': '|' joins variant cases only`);
      t = { k: 'variant', cases: new Map([...t.cases, ...u.cases]) };
    }
    return t;
  };
  const arrow = (): Ty => {
    const a = union();
    if (peek() !== '->') return a;
    eat('->');
    return { k: 'map', key: a, val: arrow() };
  };
  const t = arrow();
  if (i !== toks.length) throw new Error(`type '${text}': trailing ${toks.slice(i).join(' ')}`);
  return t;
}

/** Does a value's inferred type fit the declared one (unknown parts fit anything, a variant may use fewer cases)? */
function fits(v: Ty, d: Ty): string | null {
  if (v.k === 'unknown') return null;
  const no = `${show(v)} is not ${show(d)}`;
  if (v.k !== d.k) return no;
  switch (v.k) {
    case 'seq':
    case 'set':
      return fits(v.e, (d as typeof v).e);
    case 'map':
      return fits(v.key, (d as typeof v).key) ?? fits(v.val, (d as typeof v).val);
    case 'tup': {
      const dd = d as typeof v;
      if (v.es.length !== dd.es.length) return no;
      for (let i = 0; i < v.es.length; i++) {
        const w = fits(v.es[i]!, dd.es[i]!);
        if (w) return w;
      }
      return null;
    }
    case 'rec': {
      const dd = d as typeof v;
      if ([...v.fields.keys()].sort().join() !== [...dd.fields.keys()].sort().join()) return no;
      for (const [f, x] of v.fields) {
        const w = fits(x, dd.fields.get(f)!);
        if (w) return `field ${f}: ${w}`;
      }
      return null;
    }
    case 'variant': {
      const dd = d as typeof v;
      for (const [c, x] of v.cases) {
        const dc = dd.cases.get(c);
        if (!dc) return `case ${c} is not one of ${show(d)}`;
        const w = fits(x, dc);
        if (w) return `case ${c}: ${w}`;
      }
      return null;
    }
    default:
      return null;
  }
}

// ---- the trace ---------------------------------------------------------------

const TOP = new Set(['#meta', 'params', 'vars', 'states', 'loop']);

export function checkAdr015(raw: unknown): Problems {
  const out: Problems = [];
  if (!isObj(raw)) return ['the trace is not a JSON object'];
  for (const k of Object.keys(raw)) if (!TOP.has(k)) out.push(`unknown top-level key '${k}'`);
  const meta = raw['#meta'];
  if (meta !== undefined && !isObj(meta)) out.push('#meta must be an object');
  if (isObj(meta) && meta.format !== undefined && meta.format !== 'ITF') out.push(`#meta.format is ${JSON.stringify(meta.format)}, not "ITF"`);
  const names = (key: 'vars' | 'params'): string[] => {
    const xs = raw[key];
    if (xs === undefined && key === 'params') return [];
    if (!Array.isArray(xs) || !xs.every((x) => typeof x === 'string')) return out.push(`${key} must be a list of strings`), [];
    if (new Set(xs).size !== xs.length) out.push(`${key} lists a name twice`);
    return xs as string[];
  };
  const vars = names('vars');
  const params = names('params');
  const states = raw.states;
  if (!Array.isArray(states) || states.length === 0) return [...out, 'states must be a non-empty list'];
  const loop = raw.loop;
  if (loop !== undefined && !(typeof loop === 'number' && Number.isInteger(loop) && loop >= 0 && loop < states.length)) out.push(`loop ${JSON.stringify(loop)} is not the index of a state`);
  const declared = new Map<string, Ty>();
  const varTypes = isObj(meta) ? meta.varTypes : undefined;
  if (varTypes !== undefined) {
    if (!isObj(varTypes)) out.push('#meta.varTypes must be an object');
    else {
      for (const [name, t] of Object.entries(varTypes)) {
        if (!vars.includes(name) && !params.includes(name)) out.push(`#meta.varTypes names '${name}', which is not in vars`);
        if (typeof t !== 'string') out.push(`#meta.varTypes.${name} must be a type string`);
        else {
          try {
            declared.set(name, parseType(t));
          } catch (e) {
            out.push(`#meta.varTypes.${name}: ${(e as Error).message}`);
          }
        }
      }
      for (const name of vars) if (!(name in varTypes)) out.push(`#meta.varTypes has no type for '${name}'`);
    }
  }
  const types = new Map<string, Ty>();
  states.forEach((s, i) => {
    if (!isObj(s)) return void out.push(`state ${i} is not an object`);
    const sm = s['#meta'];
    if (sm !== undefined && !isObj(sm)) out.push(`state ${i}: #meta must be an object`);
    if (isObj(sm) && sm.index !== undefined && sm.index !== i) out.push(`state ${i}: #meta.index is ${JSON.stringify(sm.index)}`);
    for (const name of [...params, ...vars]) {
      if (!(name in s)) {
        out.push(`state ${i} does not define variable '${name}'`);
        continue;
      }
      const t = valueType(s[name], `state ${i}: ${name}`, out);
      const u = unify(types.get(name) ?? UNKNOWN, t);
      if (typeof u === 'string') out.push(`state ${i}: ${name} changes type (${u})`);
      else types.set(name, u);
      const d = declared.get(name);
      const w = d ? fits(t, d) : null;
      if (w) out.push(`state ${i}: ${name} does not have its declared type: ${w}`);
    }
    for (const k of Object.keys(s)) if (k !== '#meta' && !vars.includes(k) && !params.includes(k)) out.push(`state ${i} defines '${k}', which is not in vars`);
  });
  return out;
}

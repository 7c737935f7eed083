import { PRESETS, REFERENCE_RULES } from '../model/index';
import { explore } from '../src/explore/explorer';
const rules = { ...REFERENCE_RULES, recycle: 'at-destroy', drain: false } as any;
const r = explore(PRESETS.default, { name: 'x', rules });
console.log(r.states, r.transitions, r.calls, r.seconds);

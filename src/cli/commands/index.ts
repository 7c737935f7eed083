/**
 * What the commands run, loaded by the CLI only once a command is about to run
 * (src/cli/main.ts, `loadCommands`): `--help`, `--version` and the usage errors
 * commander finds need none of it, and parsing all of it was most of a start's own time.
 */
export { parseDesign, resolveDesign } from '../../design';
export { readEvidence } from '../../report/evidence';
export { resolveScope } from '../../scopes';
export { parseShard } from '../../sweep/shard';
export { bmcCommand } from './bmc';
export { checkCommand } from './check';
export { exploreCommandOn } from './explore';
export { matrixCommand, matrixRules } from './matrix';
export { mergeCommand } from './merge';
export { outcomesCommand } from './outcomes';
export { proveCommand, sweepCommand } from './prove';
export { proveParametricCommand, refuseUnencoded } from './proveParametric';
export { replayFiles } from './replay';
export { reportCommand } from './report';
export { showCommand } from './show';
export { simulateCommand } from './simulate';
export { defaultPagePath, viewCommand } from './view';

/**
 * ▶ The action vocabulary of DESIGN.md §3: userspace calls (with the calling
 * process), hardware and guest events. Arguments are plain integers: any
 * integer is accepted, out-of-range ones get their errno.
 */
export const ACTION_ARGS = {
  open: ['proc'],
  close: ['proc', 'fd'],
  alloc: ['proc', 'fd'],
  destroy: ['proc', 'fd', 'ioasid'],
  attach: ['proc', 'dev', 'fd', 'ioasid'],
  detach: ['proc', 'dev', 'pasid'],
  mdev_allow_pasid: ['proc', 'mdev', 'fd'],
  mdev_attach: ['proc', 'mdev', 'fd', 'ioasid'],
  mdev_detach: ['proc', 'mdev', 'pasid'],
  kvm_set_ioasid_fd: ['proc', 'vm', 'fd'],
  kvm_enable_enqcmd: ['proc', 'vm'],
  kvm_map_pasid: ['proc', 'vm', 'vpasid', 'ioasid'],
  kvm_unmap_pasid: ['proc', 'vm', 'vpasid'],
  vm_destroy: ['proc', 'vm'],
  exit: ['proc'],
  dma: ['dev', 'pasid'],
  enqcmd: ['vm', 'mdev', 'vpasid'],
  swq_exec: ['dev'],
  deliver: [],
} as const;

/**
 * ▶ The SVA extension of DESIGN.md §10: in the vocabulary only at scopes with
 * `"sva": true` (a trace using them elsewhere is bad input). `sva_submit` (the
 * process's own ENQCMD) and `exit_files` (a kernel event) carry `proc` but go
 * through no common checks.
 */
export const SVA_ACTION_ARGS = {
  sva_bind: ['proc', 'dev'],
  sva_unbind: ['proc', 'dev'],
  sva_submit: ['proc', 'dev'],
  exit_files: ['proc'],
} as const;

/** Every action of every scope: §3 and §10. */
export const ANY_ACTION_ARGS = { ...ACTION_ARGS, ...SVA_ACTION_ARGS } as const;

/** The actions of §3 (every scope); the proofs range over these. */
export type ActionType = keyof typeof ACTION_ARGS;
export type SvaActionType = keyof typeof SVA_ACTION_ARGS;
/** Any action of any scope: §3 and, at SVA scopes, §10. */
export type AnyActionType = ActionType | SvaActionType;
export type ArgName = (typeof ANY_ACTION_ARGS)[AnyActionType][number];
export const ACTION_TYPES = Object.keys(ACTION_ARGS) as ActionType[];
export const SVA_ACTION_TYPES = Object.keys(SVA_ACTION_ARGS) as SvaActionType[];

type ArgsOf<T extends AnyActionType> = { readonly [K in (typeof ANY_ACTION_ARGS)[T][number]]: number };

/** One action of §3: a discriminated union on `type`, its arguments by the names of §3. */
export type Action = { [T in ActionType]: { readonly type: T } & ArgsOf<T> }[ActionType];
/** One action of §10. */
export type SvaAction = { [T in SvaActionType]: { readonly type: T } & ArgsOf<T> }[SvaActionType];
/** Any action the model steps: §3's, or §10's at an SVA scope. */
export type AnyAction = Action | SvaAction;
export type ActionOf<T extends AnyActionType> = Extract<AnyAction, { type: T }>;

/** A §3 action name (the vocabulary of every scope). */
export function isActionType(name: string): name is ActionType {
  return Object.prototype.hasOwnProperty.call(ACTION_ARGS, name);
}

export function isSvaActionType(name: string): name is SvaActionType {
  return Object.prototype.hasOwnProperty.call(SVA_ACTION_ARGS, name);
}

export function isAnyActionType(name: string): name is AnyActionType {
  return isActionType(name) || isSvaActionType(name);
}

/** The action names of a scope's vocabulary: §3's, and §10's when the scope has `sva`. */
export function actionTypesOf(scope: { readonly sva?: boolean }): AnyActionType[] {
  return scope.sva === true ? [...ACTION_TYPES, ...SVA_ACTION_TYPES] : [...ACTION_TYPES];
}

/** Userspace calls carry `proc` and go through the common checks; events do not (nor sva_submit, exit_files). */
export function isUserCall(type: AnyActionType): boolean {
  if (type === 'sva_submit' || type === 'exit_files') return false;
  return (ANY_ACTION_ARGS[type] as readonly string[])[0] === 'proc';
}

/** Builds an action from its type and argument values, in the order of ACTION_ARGS. */
export function makeAction<T extends AnyActionType>(type: T, values: readonly number[]): ActionOf<T> {
  const names = ANY_ACTION_ARGS[type] as readonly string[];
  const action: Record<string, unknown> = { type };
  names.forEach((n, i) => (action[n] = values[i] ?? 0));
  return action as ActionOf<T>;
}

/** The arguments of an action as a record, in the order of ACTION_ARGS. */
export function actionArgs(action: AnyAction): Record<string, number> {
  const out: Record<string, number> = {};
  for (const n of ANY_ACTION_ARGS[action.type] as readonly string[]) out[n] = (action as unknown as Record<string, number>)[n]!;
  return out;
}

export function formatAction(action: AnyAction): string {
  const args = Object.entries(actionArgs(action)).map(([k, v]) => `${k}=${v}`);
  return `${action.type}(${args.join(', ')})`;
}

/** Results are strings (§3): a number, an errno, or a hardware outcome. */
export type Result = string;

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

export type ActionType = keyof typeof ACTION_ARGS;
export type ArgName = (typeof ACTION_ARGS)[ActionType][number];
export const ACTION_TYPES = Object.keys(ACTION_ARGS) as ActionType[];

type ArgsOf<T extends ActionType> = { readonly [K in (typeof ACTION_ARGS)[T][number]]: number };

/** One action: a discriminated union on `type`, its arguments by the names of §3. */
export type Action = { [T in ActionType]: { readonly type: T } & ArgsOf<T> }[ActionType];
export type ActionOf<T extends ActionType> = Extract<Action, { type: T }>;

export function isActionType(name: string): name is ActionType {
  return Object.prototype.hasOwnProperty.call(ACTION_ARGS, name);
}

/** Userspace calls carry `proc` and go through the common checks; events do not. */
export function isUserCall(type: ActionType): boolean {
  return (ACTION_ARGS[type] as readonly string[])[0] === 'proc';
}

/** Builds an action from its type and argument values, in the order of ACTION_ARGS. */
export function makeAction(type: ActionType, values: readonly number[]): Action {
  const names = ACTION_ARGS[type] as readonly string[];
  const action: Record<string, unknown> = { type };
  names.forEach((n, i) => (action[n] = values[i] ?? 0));
  return action as Action;
}

/** The arguments of an action as a record, in the order of ACTION_ARGS. */
export function actionArgs(action: Action): Record<string, number> {
  const out: Record<string, number> = {};
  for (const n of ACTION_ARGS[action.type] as readonly string[]) out[n] = (action as unknown as Record<string, number>)[n]!;
  return out;
}

export function formatAction(action: Action): string {
  const args = Object.entries(actionArgs(action)).map(([k, v]) => `${k}=${v}`);
  return `${action.type}(${args.join(', ')})`;
}

/** Results are strings (§3): a number, an errno, or a hardware outcome. */
export type Result = string;

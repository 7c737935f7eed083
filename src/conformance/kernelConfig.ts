/**
 * Which designs the kernel implements, and with which module parameters.
 *
 * src/kernel/ knows nothing of rules: it has switches of its own
 * (src/kernel/params.ts). This is the one place that says which rule record
 * each setting of those switches implements, so the conformance stage can run
 * the kernel in every configuration against the model with matching rules.
 */
import { DEFAULT_PARAMS, IoasidKernel, type KernelParams } from '../kernel/index';
import { REFERENCE_RULES, type Rules, type Scope, busyOnDestroy, sameRules, svaFreeAtMmput } from '../../model/index';

/**
 * The kernel's parameters for `rules`, or undefined when no setting of them
 * implements that design (the flawed ones: the kernel then runs as the
 * reference and is expected to defeat their attacks). `svaPasidFree: mmput`
 * is implemented by sva_free_at_mmput, the kernel's reproduction of the 2022
 * bug, on top of whatever implements the other rules.
 */
export function kernelParamsFor(rules: Rules): KernelParams | undefined {
  const base = designParams({ ...rules, svaPasidFree: 'mmdrop' });
  return base && (svaFreeAtMmput(rules) ? { ...base, sva_free_at_mmput: true } : base);
}

function designParams(rules: Rules): KernelParams | undefined {
  // Under destroyInUse: busy nothing is destroyed while held, so recycle,
  // blockOnDestroy and quotaCounts change nothing (DESIGN.md §8): compare the
  // rest against the reference.
  if (busyOnDestroy(rules)) {
    const rest: Rules = { ...rules, recycle: 'at-zero', blockOnDestroy: true, quotaCounts: 'charged', destroyInUse: 'park' };
    return sameRules(rest, REFERENCE_RULES) ? { ...DEFAULT_PARAMS, destroy_busy: true } : undefined;
  }
  return sameRules(rules, REFERENCE_RULES) ? DEFAULT_PARAMS : undefined;
}

/**
 * The kernel a replay holds a trace of `rules` to. sva_free_at_mmput is a bug
 * the kernel shipped fixed, not a design it defends: a trace of that design
 * runs on the fixed kernel, which must defeat it. The other switches are
 * designs (iommufd's destroy_busy), and their traces run on them.
 */
export function replayParamsFor(rules: Rules): KernelParams | undefined {
  return svaFreeAtMmput(rules) ? undefined : kernelParamsFor(rules);
}

/** The kernel configured for `rules`, or the reference kernel when it does not implement them. */
export function kernelFor(scope: Scope, rules: Rules): IoasidKernel {
  return new IoasidKernel(scope, kernelParamsFor(rules) ?? DEFAULT_PARAMS);
}

/** The rules the kernel runs when replaying a trace of `rules`. */
export function kernelRules(rules: Rules): Rules {
  return kernelParamsFor(rules) ? rules : REFERENCE_RULES;
}

/** The kernel's module parameters by name, for `replay --kernel-param`. */
export const KERNEL_PARAM_NAMES = Object.keys(DEFAULT_PARAMS) as (keyof KernelParams)[];

/**
 * The kernel a replay of `rules` runs, with module parameters overridden
 * (`replay --kernel-param sva_free_at_mmput=true` runs the 2022 kernel
 * against whatever model the trace names). The refinement mapping is claimed
 * whenever the overridden kernel is the one some design's rules map to.
 */
export function replayKernelWith(scope: Scope, rules: Rules, overrides: Partial<KernelParams>): IoasidKernel {
  return new IoasidKernel(scope, { ...(replayParamsFor(rules) ?? DEFAULT_PARAMS), ...overrides });
}

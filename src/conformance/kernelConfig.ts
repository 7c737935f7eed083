/**
 * Which designs the kernel implements, and with which module parameters.
 *
 * src/kernel/ knows nothing of rules: it has switches of its own
 * (src/kernel/params.ts). This is the one place that says which rule record
 * each setting of those switches implements, so the conformance stage can run
 * the kernel in every configuration against the model with matching rules.
 */
import { DEFAULT_PARAMS, IoasidKernel, type KernelParams } from '../kernel/index';
import { REFERENCE_RULES, type Rules, type Scope, busyOnDestroy, sameRules } from '../../model/index';

/**
 * The kernel's parameters for `rules`, or undefined when no setting of them
 * implements that design (the flawed ones: the kernel then runs as the
 * reference and is expected to defeat their attacks).
 */
export function kernelParamsFor(rules: Rules): KernelParams | undefined {
  // Under destroyInUse: busy nothing is destroyed while held, so recycle,
  // blockOnDestroy and quotaCounts change nothing (DESIGN.md §8): compare the
  // rest against the reference.
  if (busyOnDestroy(rules)) {
    const rest: Rules = { ...rules, recycle: 'at-zero', blockOnDestroy: true, quotaCounts: 'charged', destroyInUse: 'park' };
    return sameRules(rest, REFERENCE_RULES) ? { ...DEFAULT_PARAMS, destroy_busy: true } : undefined;
  }
  return sameRules(rules, REFERENCE_RULES) ? DEFAULT_PARAMS : undefined;
}

/** The kernel configured for `rules`, or the reference kernel when it does not implement them. */
export function kernelFor(scope: Scope, rules: Rules): IoasidKernel {
  return new IoasidKernel(scope, kernelParamsFor(rules) ?? DEFAULT_PARAMS);
}

/** The rules the kernel runs when replaying a trace of `rules`. */
export function kernelRules(rules: Rules): Rules {
  return kernelParamsFor(rules) ? rules : REFERENCE_RULES;
}

/**
 * An action as a clause of English ("process 1 allocates an IOASID in fd 1"),
 * for stories and step tables. The state before the step names what a
 * hardware event acts on (the descriptor a swq runs, the notification
 * delivered).
 */
import { match } from 'ts-pattern';
import type { AnyAction as Action, State } from '../../model/index';

export function actionPhrase(before: State, action: Action): string {
  return match(action)
    .with({ type: 'open' }, (a) => `process ${a.proc} opens /dev/ioasid`)
    .with({ type: 'close' }, (a) => `process ${a.proc} closes fd ${a.fd}`)
    .with({ type: 'alloc' }, (a) => `process ${a.proc} allocates an IOASID in fd ${a.fd}`)
    .with({ type: 'destroy' }, (a) => `process ${a.proc} destroys IOASID handle ${a.ioasid} of fd ${a.fd}`)
    .with({ type: 'attach' }, (a) => `process ${a.proc} attaches pdev ${a.dev} to IOASID handle ${a.ioasid} of fd ${a.fd}`)
    .with({ type: 'detach' }, (a) => `process ${a.proc} detaches pdev ${a.dev} from PASID ${a.pasid}`)
    .with({ type: 'mdev_allow_pasid' }, (a) => `process ${a.proc} allows mdev ${a.mdev} to use the PASIDs of fd ${a.fd}`)
    .with({ type: 'mdev_attach' }, (a) => `process ${a.proc} attaches mdev ${a.mdev} to IOASID handle ${a.ioasid} of fd ${a.fd}`)
    .with({ type: 'mdev_detach' }, (a) => `process ${a.proc} detaches mdev ${a.mdev} from PASID ${a.pasid}`)
    .with({ type: 'kvm_set_ioasid_fd' }, (a) => `process ${a.proc} presents fd ${a.fd} to KVM for VM ${a.vm}`)
    .with({ type: 'kvm_enable_enqcmd' }, (a) => `process ${a.proc} enables the ENQCMD table of VM ${a.vm}`)
    .with({ type: 'kvm_map_pasid' }, (a) => `process ${a.proc} maps vPASID ${a.vpasid} of VM ${a.vm} to IOASID handle ${a.ioasid}`)
    .with({ type: 'kvm_unmap_pasid' }, (a) => `process ${a.proc} unmaps vPASID ${a.vpasid} of VM ${a.vm}`)
    .with({ type: 'vm_destroy' }, (a) => `process ${a.proc} destroys VM ${a.vm}`)
    .with({ type: 'exit' }, (a) => `process ${a.proc} exits`)
    .with({ type: 'dma' }, (a) => `device ${a.dev} does DMA with PASID ${a.pasid}`)
    .with({ type: 'enqcmd' }, (a) => `the guest of VM ${a.vm} submits ENQCMD with vPASID ${a.vpasid} through mdev ${a.mdev}`)
    .with({ type: 'swq_exec' }, (a) => {
      const head = before.queues[a.dev - 1]?.[0];
      return head
        ? `the swq ${a.dev} runs its oldest descriptor (issued by process ${head.issuer}, PASID ${head.pasid})`
        : `the swq ${a.dev} looks for a descriptor to run`;
    })
    .with({ type: 'deliver' }, () => {
      const n = before.notifications[0];
      if (!n) return 'the notifier looks for a pending notification';
      const to = n.holder === 'kvm' ? `VM ${n.id} (vPASID ${n.key})` : `${n.holder === 'pdev' ? 'pdev' : 'swq'} ${n.id} (PASID ${n.key})`;
      return `the notifier tells ${to} to release its entry`;
    })
    .with({ type: 'sva_bind' }, (x) => `process ${x.proc} binds its address space (mm) to swq ${x.dev} (iommu_sva_bind_device)`)
    .with({ type: 'sva_unbind' }, (x) => `process ${x.proc} unbinds its mm from swq ${x.dev}, draining the swq of its PASID`)
    .with({ type: 'sva_submit' }, (x) => `process ${x.proc} submits work with ENQCMD to swq ${x.dev}, tagged with its mm's PASID`)
    .with({ type: 'exit_files' }, (x) => `the kernel releases the files of exited process ${x.proc} (exit_files): each SVA binding unbinds, dropping an mm reference (mmdrop)`)
    .exhaustive();
}

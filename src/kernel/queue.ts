/*
 * A shared work queue's descriptor FIFO. ENQCMD puts descriptors here carrying
 * a raw PASID: they are numbers in hardware and hold no reference on any
 * IOASID. That is why a PASID must be drained from every queue before it is
 * recycled (Jacob Pan's in-flight ENQCMD hazard), and why the IOASID core, not
 * the device, owns the list of queues to drain.
 */

export interface SwqDescriptor {
  /** The process the guest belongs to: whose memory the descriptor means to touch. */
  readonly issuer: number;
  readonly pasid: number;
}

export interface SwqQueue {
  readonly depth: number;
  descs: SwqDescriptor[];
}

export function swq_queue_init(depth: number): SwqQueue {
  return { depth, descs: [] };
}

export function swq_queue_full(q: SwqQueue): boolean {
  return q.descs.length >= q.depth;
}

export function swq_queue_push(q: SwqQueue, desc: SwqDescriptor): void {
  q.descs.push(desc);
}

/** The oldest descriptor, now taken off the queue by the device. */
export function swq_queue_pop(q: SwqQueue): SwqDescriptor | undefined {
  return q.descs.shift();
}

/** Drops every descriptor tagged with `pasid`; their DMA never happens. */
export function swq_queue_drain(q: SwqQueue, pasid: number): void {
  q.descs = q.descs.filter((desc) => desc.pasid !== pasid);
}

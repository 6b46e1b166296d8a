// Kiosk idle timer: after `idleSeconds` without input the customer session is wiped;
// a warning with a countdown comes first so a present customer can keep going.
export interface IdleOptions {
  idleSeconds: number;
  onWarn: (secondsLeft: number) => void;
  onWipe: () => void;
  onActive: () => void;
}

export function warnSeconds(idleSeconds: number): number {
  return Math.max(1, Math.min(15, Math.floor(idleSeconds / 3)));
}

export class IdleTimer {
  private last = Date.now();
  private warned = false;
  private handle: ReturnType<typeof setInterval> | null = null;
  constructor(private opts: IdleOptions) {}

  start(): void {
    this.last = Date.now();
    this.handle = setInterval(() => this.tick(), 1000);
  }

  stop(): void {
    if (this.handle) clearInterval(this.handle);
    this.handle = null;
  }

  activity(): void {
    this.last = Date.now();
    if (this.warned) {
      this.warned = false;
      this.opts.onActive();
    }
  }

  tick(): void {
    const idle = (Date.now() - this.last) / 1000;
    const left = Math.ceil(this.opts.idleSeconds - idle);
    if (left <= 0) {
      this.warned = false;
      this.last = Date.now();
      this.opts.onWipe();
    } else if (left <= warnSeconds(this.opts.idleSeconds)) {
      this.warned = true;
      this.opts.onWarn(left);
    }
  }
}

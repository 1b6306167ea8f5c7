/** A statistics routine was given input it cannot analyse (the message says why, naming the term or variable). */
export class StatsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StatsError';
  }
}

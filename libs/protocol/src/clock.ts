/** The time every service of an app reads: the wall clock, or a test's movable one. */
export class Clock {
  constructor(private readonly read: () => Date = () => new Date()) {}

  now(): Date {
    return this.read();
  }
}

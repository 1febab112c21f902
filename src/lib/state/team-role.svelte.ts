import { errorMessage } from './team-support';

/** What the lead's and the reviewer's team states share: one store write at a time, told plainly when it fails. */
export abstract class TeamRole {
  busy = $state(false);
  error = $state<string | null>(null);

  /** Runs a write; false (and the reason in `error`) when it failed. */
  protected async run(action: () => Promise<void>): Promise<boolean> {
    this.busy = true;
    this.error = null;
    try {
      await action();
      return true;
    } catch (error) {
      this.error = errorMessage(error);
      return false;
    } finally {
      this.busy = false;
    }
  }
}

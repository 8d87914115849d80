import { planVersion, type CaseSpec } from "./case-plan.js";
import type { CaseResult, ContractTarget } from "./checks/context.js";
import { formatFailure } from "./checks/failure.js";
import { runCase } from "./contract-checks.js";
import { staleDefects, type DefectTarget, type KnownDefect } from "./known-defects.js";
import { type NegativeOutcome, runNegativeControls } from "./negative-controls.js";

/** Key of a case: `<version> <operationId> <column>`. */
export const caseKey = (c: { version: string; operationId: string; column: string }): string =>
  `${c.version} ${c.operationId} ${c.column}`;

/**
 * The contract run of a set of targets, memoized and order-independent: any test may ask for any
 * case's result (or a version's negative controls); the first to ask runs it, later ones get the
 * same promise. So a test that checks results (coverage, defects) computes what it needs itself,
 * whether the case tests ran before it, run after it, or were filtered out (`-t`).
 */
export class ContractRun {
  /** Every planned case of every target, in plan order. */
  readonly plan: CaseSpec[];
  private readonly cases = new Map<string, Promise<CaseResult>>();
  private readonly negatives = new Map<string, Promise<NegativeOutcome>>();
  private readonly done = new Map<string, CaseResult>();
  private readonly negativeDone = new Map<string, NegativeOutcome>();

  constructor(readonly targets: ContractTarget[]) {
    this.plan = targets.flatMap((t) => planVersion(t.spec));
  }

  private target(version: string): ContractTarget {
    const target = this.targets.find((t) => t.spec.version === version);
    if (!target) throw new Error(`no started mock for API version ${version}`);
    return target;
  }

  /** The result of case `c` (run on first request). */
  result(c: CaseSpec): Promise<CaseResult> {
    const key = caseKey(c);
    let promise = this.cases.get(key);
    if (!promise) {
      promise = runCase(this.target(c.version), c).then((r) => {
        this.done.set(key, r);
        return r;
      });
      this.cases.set(key, promise);
    }
    return promise;
  }

  /** The planned case at (version, operation, column), if any. */
  find(where: { version: string; operationId: string; column: string }): CaseSpec | undefined {
    return this.plan.find((c) => caseKey(c) === caseKey(where));
  }

  /** The negative controls of `version` (run on first request). */
  negativeControls(version: string): Promise<NegativeOutcome> {
    let promise = this.negatives.get(version);
    if (!promise) {
      const target = this.target(version);
      promise = runNegativeControls(target.spec, target.mock).then((r) => {
        this.negativeDone.set(version, r);
        return r;
      });
      this.negatives.set(version, promise);
    }
    return promise;
  }

  /** Every planned case's result and every version's negative controls (runs what has not run yet). */
  async all(): Promise<{ results: CaseResult[]; negative: Record<string, NegativeOutcome> }> {
    const results: CaseResult[] = [];
    for (const c of this.plan) results.push(await this.result(c));
    const negative: Record<string, NegativeOutcome> = {};
    for (const t of this.targets) negative[t.spec.version] = await this.negativeControls(t.spec.version);
    return { results, negative };
  }

  /**
   * What `known-spec-defects.json` predicts for the versions of this run and no longer occurs.
   * Runs exactly the cases the defects apply to (a defect listed for a case the plan lacks is stale too).
   */
  async staleDefects(defects: KnownDefect[]): Promise<string[]> {
    const versions = new Set(this.targets.map((t) => t.spec.version));
    const relevant = defects.map((d) => ({ ...d, appliesTo: d.appliesTo.filter((a) => versions.has(a.version)) }));
    const ran: DefectTarget[] = [];
    const observed = new Set<string>();
    const failed = new Set<string>();
    for (const d of relevant) {
      for (const a of d.appliesTo) {
        const c = this.find({ version: a.version, operationId: a.operationId, column: a.status });
        if (!c) continue;
        const r = await this.result(c);
        ran.push({ version: r.version, operationId: r.operationId, status: r.column });
        for (const o of r.observations) observed.add(o);
        // A case that failed may not have got as far as the checks that observe the defect: say so.
        for (const f of r.failures)
          failed.add(`${caseKey(r)} failed, so it may not show the defect: ${formatFailure(f)}`);
      }
    }
    const stale = staleDefects(relevant, observed, ran);
    return stale.length > 0 ? [...stale, ...failed] : stale;
  }

  /** Results and negative controls finished so far, in plan order (for the summary line). */
  finished(): { results: CaseResult[]; negative: NegativeOutcome[] } {
    return {
      results: this.plan.map((c) => this.done.get(caseKey(c))).filter((r): r is CaseResult => r !== undefined),
      negative: [...this.negativeDone.values()],
    };
  }
}

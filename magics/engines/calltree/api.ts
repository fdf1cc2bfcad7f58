import * as vm from "node:vm";
import { CallTreeResult } from "../../render/calltree-report";
import { profileRun, ProfileUsageError, type ProfileOptions } from "./profile";

/**
 * The library form of %prun: `const r = await profile(() => main())`, then `console.log(String(r))`,
 * `r.flat(["cumulative"])`, `fs.writeFileSync("out.cpuprofile", r.cpuProfileJson())`.
 * A string is compiled as a script of this realm named `<prun>`, whose frames are the tree's root.
 * When the statement throws, the result holds the partial tree and `error` (nothing is thrown).
 */
export async function profile(run: (() => unknown) | string, options: ProfileOptions = {}): Promise<CallTreeResult> {
  if (typeof run === "string") {
    const script = new vm.Script(run, { filename: "<prun>" });
    return new CallTreeResult(
      await profileRun(() => script.runInThisContext(), { rootScript: "<prun>", rootLabel: "<prun>", ...options }),
    );
  }
  if (typeof run !== "function") {
    throw new ProfileUsageError(`profile needs a function or a statement string (got ${run === null ? "null" : typeof run})`);
  }
  return new CallTreeResult(await profileRun(run, options));
}

import { CallTreeResult } from "../../render/calltree-report";
import { runnable } from "../statement";
import { profileRun, ProfileUsageError, type ProfileOptions } from "./profile";

/**
 * The library form of %prun: `const r = await profile(() => main())`, then `console.log(String(r))`,
 * `r.flat(["cumulative"])`, `fs.writeFileSync("out.cpuprofile", r.cpuProfileJson())`.
 * A string is compiled as a script of this realm named `<prun>`, whose top level (`<module>`) is the tree's root.
 * When the statement throws, the result holds the partial tree and `error` (nothing is thrown).
 */
export async function profile(run: (() => unknown) | string, options: ProfileOptions = {}): Promise<CallTreeResult> {
  const statement = runnable("profile", run, "<prun>", ProfileUsageError);
  const root = typeof run === "string" ? { rootScript: "<prun>" } : {};
  return new CallTreeResult(await profileRun(statement, { ...root, ...options }));
}

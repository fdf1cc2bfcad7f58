import { installLoader } from "../magics/engines/line/loader";

export { transpile } from "../magics/engines/transpile";
export { loadAsMain } from "../magics/engines/line/loader";

/** Lets `require` load `.ts` files (local modules, scripts run by the CLI), every local function profilable. */
export function registerTsLoader(): void {
  installLoader();
}

import { installLoader } from "../magics/engines/line/loader";

export { transpile } from "../magics/engines/transpile";
export { loadAsMain } from "../magics/engines/line/loader";

/**
 * Lets `require` load `.ts` files (local modules, scripts run by the CLI); with `profilable`, every
 * function of a local module, `.js` included, can be line-profiled.
 */
export function registerTsLoader(options = { profilable: false }): void {
  installLoader({ switches: options.profilable });
}

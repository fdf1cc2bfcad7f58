import type { LanguageFeatures } from "../kernel/language-features";
import { registerMagic } from "./registry";
import { fileMagic } from "./file";
import { loadExtMagic, lsmagicMagic, magicHelpMagic } from "./meta";
import { bashMagic, shMagic, systemMagic } from "./shell";
import { typecheckMagic } from "./typecheck";

/** Every magic the kernel ships with. */
export function registerBuiltinMagics(language: LanguageFeatures): void {
  for (const magic of [fileMagic, systemMagic, bashMagic, shMagic, lsmagicMagic, loadExtMagic, magicHelpMagic, typecheckMagic(language)]) {
    registerMagic(magic);
  }
}

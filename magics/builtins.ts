import type { LanguageFeatures } from "../kernel/language-features";
import { registerMagic } from "./registry";
import { fileMagic } from "./file";
import { lprunMagic } from "./lprun";
import { memitMagic } from "./memit";
import { loadExtMagic, lsmagicMagic, magicHelpMagic } from "./meta";
import { mprunMagic } from "./mprun";
import { prunMagic } from "./prun";
import { scalingMagic } from "./scaling";
import { bashMagic, shMagic, systemMagic } from "./shell";
import { timeMagic } from "./time";
import { timeitMagic } from "./timeit";
import { typecheckMagic } from "./typecheck";

/** Every magic the kernel ships with. */
export function registerBuiltinMagics(language: LanguageFeatures): void {
  const magics = [
    timeMagic, timeitMagic, scalingMagic, lprunMagic, mprunMagic, memitMagic, prunMagic,
    fileMagic, systemMagic, bashMagic, shMagic, lsmagicMagic, loadExtMagic, magicHelpMagic, typecheckMagic(language),
  ];
  for (const magic of magics) registerMagic(magic);
}

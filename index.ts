export const version = "0.1.0";
export { memit } from "./magics/engines/memory/api";
export { MemitResult } from "./magics/render/memit-report";
export { MemitUsageError, MemitTimeoutError, type MemitOptions } from "./magics/engines/memory/memit";
export { profile } from "./magics/engines/calltree/api";
export { CallTreeResult } from "./magics/render/calltree-report";
export { ProfileUsageError, type ProfileOptions } from "./magics/engines/calltree/profile";

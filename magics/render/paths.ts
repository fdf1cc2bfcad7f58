import * as path from "node:path";
import { process } from "../../kernel/intrinsics";

/** A script's name as reports show it: relative to the working directory when the file is under it. */
export function shownPath(fileOrUrl: string): string {
  const file = fileOrUrl.startsWith("file://") ? decodeURIComponent(new URL(fileOrUrl).pathname) : fileOrUrl;
  if (!path.isAbsolute(file)) return file;
  const relative = path.relative(process.cwd(), file);
  return relative.startsWith("..") ? file : relative;
}

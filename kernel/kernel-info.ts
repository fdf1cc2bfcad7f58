import { PROTOCOL_VERSION } from "./wire";
import { process } from "./intrinsics";

function typescriptVersion(): string {
  return (require("typescript/package.json") as { version: string }).version;
}

export function kernelInfo(): Record<string, unknown> {
  const ts = typescriptVersion();
  return {
    status: "ok",
    protocol_version: PROTOCOL_VERSION,
    implementation: "tsprof",
    implementation_version: (require("../../package.json") as { version: string }).version,
    language_info: {
      name: "typescript",
      version: ts,
      mimetype: "text/typescript",
      file_extension: ".ts",
      codemirror_mode: { name: "javascript", typescript: true },
      pygments_lexer: "typescript",
    },
    banner: `tsprof — TypeScript ${ts} on Node.js ${process.versions.node}, with %time %timeit %lprun %mprun %memit %prun`,
    help_links: [
      { text: "tsprof magics (%lsmagic)", url: "https://www.typescriptlang.org/docs/" },
      { text: "TypeScript handbook", url: "https://www.typescriptlang.org/docs/handbook/intro.html" },
      { text: "Node.js API", url: "https://nodejs.org/docs/latest-v20.x/api/" },
    ],
  };
}

// Types for bin/fresh.mjs (plain JavaScript: it runs before any TypeScript loader).
export declare const ROOT: URL;
export declare const MANIFEST: string;
export declare const EXTRA_INPUTS: readonly string[];
export declare function fingerprint(root: string, files: readonly string[]): string | undefined;
export declare function freshEntry(name: string, root?: string): URL | undefined;

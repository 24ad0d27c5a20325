export type BundleFile = { file: string; bytes: number; gzip: number };
export type BundleGroup = { files: BundleFile[]; bytes: number; gzip: number };
export function bundleSizes(dist: string): { initial: BundleGroup; lazy: BundleGroup };

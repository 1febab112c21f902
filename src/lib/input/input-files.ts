import { unzipSync } from 'fflate';

/** What a user dropped or picked, sorted into label files and images by name. */

const imageExtensions = ['jpg', 'jpeg', 'png', 'bmp', 'gif', 'webp', 'svg', 'tif', 'tiff'];
const labelExtensions = ['txt', 'csv', 'tsv'];

const mimeByExtension: Record<string, string> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  bmp: 'image/bmp',
  gif: 'image/gif',
  webp: 'image/webp',
  svg: 'image/svg+xml',
  tif: 'image/tiff',
  tiff: 'image/tiff',
};

export type InputKind = 'label' | 'image' | 'archive' | 'ignored';

function extensionOf(name: string): string {
  const base = name.split('/').pop() ?? name;
  const dot = base.lastIndexOf('.');
  return dot < 0 ? '' : base.slice(dot + 1).toLowerCase();
}

/** System files that archives and folders carry along and nobody means to import. */
function isHiddenPath(name: string): boolean {
  return name.split('/').some((part) => part.startsWith('.') || part === '__MACOSX');
}

export function classifyInputName(name: string): InputKind {
  if (isHiddenPath(name)) return 'ignored';
  const ext = extensionOf(name);
  if (ext === 'zip') return 'archive';
  if (imageExtensions.includes(ext)) return 'image';
  if (labelExtensions.includes(ext)) return 'label';
  return 'ignored';
}

export function imageMimeType(name: string): string {
  return mimeByExtension[extensionOf(name)] ?? 'application/octet-stream';
}

export interface ArchiveEntry {
  name: string;
  bytes: Uint8Array;
}

export type ExpandResult = { entries: ArchiveEntry[] } | { error: string };

/** Lists the files of a zip archive; a damaged archive is reported, never thrown. */
export function expandZip(archiveName: string, bytes: Uint8Array): ExpandResult {
  try {
    const files = unzipSync(bytes, {
      filter: (file) => !file.name.endsWith('/') && classifyInputName(file.name) !== 'ignored',
    });
    return {
      entries: Object.entries(files).map(([name, data]) => ({ name, bytes: data })),
    };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { error: `${archiveName}: not a readable zip archive (${reason})` };
  }
}

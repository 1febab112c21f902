/**
 * How full the browser's storage is, from navigator.storage.estimate(). Pure: the
 * estimate is read by the store, judged here.
 */

/** Below this much free space, or this share of the quota, the app offers a backup. */
export const LOW_SPACE_BYTES = 200 * 1024 * 1024;
export const LOW_SPACE_SHARE = 0.1;

export interface StorageEstimate {
  /** Bytes used by this site. */
  usage: number;
  /** Bytes this site may use (the browser's share of the disk). */
  quota: number;
}

export interface StorageLevel {
  free: number;
  /** Share of the quota used, 0-1. */
  usedShare: number;
  low: boolean;
}

export function storageLevel({ usage, quota }: StorageEstimate): StorageLevel {
  const safeQuota = Number.isFinite(quota) && quota > 0 ? quota : 0;
  const safeUsage = Number.isFinite(usage) && usage > 0 ? usage : 0;
  const free = Math.max(0, safeQuota - safeUsage);
  const usedShare = safeQuota > 0 ? Math.min(1, safeUsage / safeQuota) : 1;
  return {
    free,
    usedShare,
    low: free < LOW_SPACE_BYTES || free < safeQuota * LOW_SPACE_SHARE,
  };
}

const units = ['bytes', 'KB', 'MB', 'GB', 'TB'] as const;

/** 1536 -> "1.5 KB"; decimal places only where they say something. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '? bytes';
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const digits = unit === 0 || value >= 100 ? 0 : value >= 10 ? 1 : 2;
  const text = value.toFixed(digits);
  return `${digits > 0 ? text.replace(/\.?0+$/, '') : text} ${units[unit]}`;
}

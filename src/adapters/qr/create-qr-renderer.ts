import QRCode from 'qrcode';
import type { QRCodeRenderersOptions } from 'qrcode';
import type { QrRenderer } from '../../domain/ports.ts';

// QR codes for short links, printed on posters and packaging, so the choices
// favour a scan that works on the first try over the smallest symbol:
//
// - Error correction M (~15% of codewords recoverable): survives a smudge, a
//   fold or a logo sticker; H would add ~40% more modules for a short URL
//   and make each module smaller at the same print size.
// - Quiet zone of 4 modules: the minimum ISO/IEC 18004 requires around a QR
//   symbol. Scanners locate the finder patterns by the light border; with
//   less, codes placed on busy backgrounds fail to scan.
// - Pure black on white: the highest contrast; coloured codes are a styling
//   choice for the caller, not a default.

const ERROR_CORRECTION = 'M';
const QUIET_ZONE_MODULES = 4;
const DEFAULT_SIZE = 256;
/** 64 px gives the smallest symbol (21 modules + 8 of quiet zone) 2 px per module; less is unreadable. */
const MIN_SIZE = 64;
/** 4096² RGBA is 64 MB while encoding: enough for print, bounded for the server. */
const MAX_SIZE = 4_096;

/**
 * The caller validates `size`; this only keeps a bad value from turning into
 * a huge allocation or a NaN width. Non-numbers fall back to the default.
 */
export function clampQrSize(size: number): number {
  if (!Number.isFinite(size)) return DEFAULT_SIZE;
  return Math.min(MAX_SIZE, Math.max(MIN_SIZE, Math.round(size)));
}

function options(size: number): QRCodeRenderersOptions & { errorCorrectionLevel: typeof ERROR_CORRECTION } {
  return {
    errorCorrectionLevel: ERROR_CORRECTION,
    margin: QUIET_ZONE_MODULES,
    // qrcode derives the module scale from width / (modules + 2 × margin).
    width: clampQrSize(size),
    color: { dark: '#000000ff', light: '#ffffffff' },
  };
}

export function createQrRenderer(): QrRenderer {
  return {
    async svg(text, size) {
      return QRCode.toString(text, { ...options(size), type: 'svg' });
    },
    async png(text, size) {
      return QRCode.toBuffer(text, { ...options(size), type: 'png' });
    },
  };
}

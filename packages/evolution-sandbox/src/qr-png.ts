import { crc32, deflateSync } from 'node:zlib';
import QRCode from 'qrcode';

// As Evolution draws its QR codes (node `qrcode` with margin 3, scale 4, error correction H).
const MARGIN_MODULES = 3;
const PIXELS_PER_MODULE = 4;
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const GRAYSCALE = 0;
const DARK = 0x00;
const LIGHT = 0xff;

/**
 * `text` as a QR code PNG data URL (`data:image/png;base64,…`), like Evolution's. The PNG is
 * written here, 8-bit grayscale, because the `qrcode` package's own PNG writer is slow enough
 * inside a test runner to stall the sandbox.
 */
export function qrCodePngDataUrl(text: string): string {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'H' });
  const side = (modules.size + 2 * MARGIN_MODULES) * PIXELS_PER_MODULE;
  const stride = side + 1;
  const raw = Buffer.alloc(stride * side, LIGHT);
  for (let y = 0; y < side; y += 1) {
    // Each scanline starts with its filter type: 0, none.
    raw[y * stride] = 0;
    const row = Math.floor(y / PIXELS_PER_MODULE) - MARGIN_MODULES;
    if (row < 0 || row >= modules.size) continue;
    for (let x = 0; x < side; x += 1) {
      const column = Math.floor(x / PIXELS_PER_MODULE) - MARGIN_MODULES;
      if (column >= 0 && column < modules.size && modules.get(row, column)) raw[y * stride + 1 + x] = DARK;
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(side, 0);
  header.writeUInt32BE(side, 4);
  header.writeUInt8(8, 8);
  header.writeUInt8(GRAYSCALE, 9);
  const png = Buffer.concat([
    PNG_SIGNATURE,
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
  return `data:image/png;base64,${png.toString('base64')}`;
}

function chunk(type: string, data: Buffer): Buffer {
  const typeAndData = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length, 0);
  const checksum = Buffer.alloc(4);
  checksum.writeUInt32BE(crc32(typeAndData), 0);
  return Buffer.concat([length, typeAndData, checksum]);
}

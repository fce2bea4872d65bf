/**
 * A tiny PNG encoder (8-bit RGB, filter 0, zlib via CompressionStream('deflate')) for the simulated
 * CDN's product images. Browser-safe: Web APIs only (CompressionStream exists in Node 20 and browsers).
 */

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

export function crc32(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let c = 0xffffffff;
  for (let i = start; i < end; i++) c = (CRC_TABLE[(c ^ (bytes[i] ?? 0)) & 0xff] ?? 0) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

async function deflate(data: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([data as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new CompressionStream('deflate'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out, 4, 8 + data.length));
  return out;
}

export type Rgb = readonly [number, number, number];

export interface PngSpec {
  width: number;
  height: number;
  /** The flat background colour. */
  color: Rgb;
  /** A second colour drawn as horizontal bands (every `bandEvery` rows, `bandHeight` tall). */
  band?: Rgb;
  bands?: number;
}

export const PNG_SIGNATURE = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Encodes a flat-colour image with a few horizontal bands as PNG bytes. */
export async function encodePng(spec: PngSpec): Promise<Uint8Array> {
  const { width, height, color } = spec;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new Error(`PNG size must be whole numbers ≥ 1, got ${width}×${height}`);
  }
  const band = spec.band ?? color;
  const bands = Math.max(1, spec.bands ?? 4);
  const rowBytes = 1 + width * 3;
  const rowOf = (rgb: Rgb) => {
    const row = new Uint8Array(rowBytes); // row[0] = 0: filter type None
    for (let x = 0; x < width; x++) row.set(rgb, 1 + x * 3);
    return row;
  };
  const plain = rowOf(color);
  const banded = rowOf(band);
  const period = Math.max(2, Math.floor(height / (bands * 2)));
  const raw = new Uint8Array(rowBytes * height);
  for (let y = 0; y < height; y++) raw.set(Math.floor(y / period) % 2 === 1 ? banded : plain, y * rowBytes);

  const ihdr = new Uint8Array(13);
  const view = new DataView(ihdr.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // colour type: RGB
  ihdr[10] = 0; // compression
  ihdr[11] = 0; // filter
  ihdr[12] = 0; // interlace
  const parts = [PNG_SIGNATURE, chunk('IHDR', ihdr), chunk('IDAT', await deflate(raw)), chunk('IEND', new Uint8Array(0))];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

/** Reads width and height from a PNG's IHDR; undefined when the bytes are not a PNG. */
export function readPngSize(bytes: Uint8Array): { width: number; height: number } | undefined {
  if (bytes.length < 33) return undefined;
  for (let i = 0; i < 8; i++) if (bytes[i] !== PNG_SIGNATURE[i]) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (String.fromCharCode(...bytes.subarray(12, 16)) !== 'IHDR') return undefined;
  if (view.getUint32(29) !== crc32(bytes, 12, 29)) return undefined;
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

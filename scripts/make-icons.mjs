// Writes public/icons/icon-{16,32,48,128}.png: two offset discs (a "parallax") on a rounded
// square. No dependencies: a tiny PNG encoder on node:zlib. Run: node scripts/make-icons.mjs
import { mkdirSync, writeFileSync } from "node:fs";
import { Buffer } from "node:buffer";
import { deflateSync } from "node:zlib";

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}
function png(size, pixel) {
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0;
    for (let x = 0; x < size; x++) {
      const [r, g, b, a] = pixel(x, y);
      const o = y * (size * 4 + 1) + 1 + x * 4;
      raw[o] = r;
      raw[o + 1] = g;
      raw[o + 2] = b;
      raw[o + 3] = a;
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  const sig = Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]);
  return Buffer.concat([
    sig,
    chunk("IHDR", ihdr),
    chunk("IDAT", deflateSync(raw)),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

// Coverage of a shape at pixel (x, y) by 4×4 supersampling, for smooth edges.
function coverage(size, x, y, inside) {
  let n = 0;
  for (let i = 0; i < 4; i++)
    for (let j = 0; j < 4; j++) if (inside((x + (i + 0.5) / 4) / size, (y + (j + 0.5) / 4) / size)) n++;
  return n / 16;
}
const roundedSquare = (u, v) => {
  const r = 0.22;
  const dx = Math.max(Math.abs(u - 0.5) - (0.5 - r), 0);
  const dy = Math.max(Math.abs(v - 0.5) - (0.5 - r), 0);
  return dx * dx + dy * dy <= r * r;
};
const disc = (cx, cy, r) => (u, v) => (u - cx) ** 2 + (v - cy) ** 2 <= r * r;
const back = disc(0.42, 0.5, 0.24);
const front = disc(0.6, 0.5, 0.24);

function pixel(size) {
  return (x, y) => {
    const bg = coverage(size, x, y, roundedSquare);
    if (bg === 0) return [0, 0, 0, 0];
    const f = coverage(size, x, y, front);
    const b = coverage(size, x, y, back);
    // background #1f3b5c, back disc #7fb3e6, front disc #f2b33d (blended)
    let c = [0x1f, 0x3b, 0x5c];
    c = c.map((v, i) => v * (1 - b) + [0x7f, 0xb3, 0xe6][i] * b);
    c = c.map((v, i) => v * (1 - f * 0.85) + [0xf2, 0xb3, 0x3d][i] * f * 0.85);
    return [...c.map((v) => Math.round(v)), Math.round(bg * 255)];
  };
}

const outDir = new URL("../public/icons/", import.meta.url);
mkdirSync(outDir, { recursive: true });
for (const size of [16, 32, 48, 128]) {
  writeFileSync(new URL(`icon-${size}.png`, outDir), png(size, pixel(size)));
}
console.log("icons written to public/icons/");

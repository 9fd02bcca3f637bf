/** The certificate's QR code as a PNG, holding the JWS verbatim. */
import QRCode from 'qrcode';

/**
 * Error correction M survives a creased or smudged print while keeping a ~900-character JWS at a module
 * size phones resolve. One pixel per module: the PDF places the image without interpolation, so it prints
 * sharp at any size, and the smallest bitmap is the cheapest to encode (most of a certificate PDF's cost).
 */
export function renderQrPng(jws: string): Promise<Buffer> {
  // pngjs options that qrcode passes through without declaring them: 8-bit grayscale without alpha, which
  // pdfkit embeds as it is, where an RGBA PNG would cost it a pixel-by-pixel split into image and mask
  // (about 60 times slower). A fresh object per call, as qrcode writes the image size into it.
  const grayscalePng = { deflateLevel: 6, colorType: 0 };
  // A fixed mask pattern skips scoring all eight masks, which is most of the cost of a version-25 code;
  // decoders read the mask from the format bits, so any mask scans.
  return QRCode.toBuffer(jws, {
    type: 'png',
    errorCorrectionLevel: 'M',
    margin: 4,
    scale: 1,
    maskPattern: 2,
    rendererOpts: grayscalePng,
  });
}

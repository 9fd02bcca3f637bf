/**
 * Reads a QR code from the camera: the browser's BarcodeDetector where it exists, else jsQR on video frames.
 * Everything runs on the device; nothing is sent anywhere.
 */
import jsQR from 'jsqr';

interface DetectedBarcode {
  rawValue: string;
}
interface BarcodeDetectorLike {
  detect(source: CanvasImageSource): Promise<DetectedBarcode[]>;
}
type BarcodeDetectorConstructor = new (options: { formats: string[] }) => BarcodeDetectorLike;

export function cameraAvailable(): boolean {
  return typeof navigator !== 'undefined' && !!navigator.mediaDevices?.getUserMedia;
}

export interface Scanner {
  stop(): void;
  method: 'BarcodeDetector' | 'jsQR';
}

export async function startScanner(video: HTMLVideoElement, onResult: (text: string) => void): Promise<Scanner> {
  const stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false });
  video.srcObject = stream;
  video.setAttribute('playsinline', 'true');
  await video.play();

  const Detector = (globalThis as { BarcodeDetector?: BarcodeDetectorConstructor }).BarcodeDetector;
  const detector = Detector ? new Detector({ formats: ['qr_code'] }) : undefined;
  const canvas = document.createElement('canvas');
  const context = canvas.getContext('2d', { willReadFrequently: true });
  let stopped = false;
  let timer: number | undefined;

  const stop = () => {
    stopped = true;
    window.clearTimeout(timer);
    stream.getTracks().forEach((track) => track.stop());
    video.srcObject = null;
  };

  const tick = async () => {
    if (stopped) return;
    let text: string | undefined;
    try {
      if (detector) {
        text = (await detector.detect(video))[0]?.rawValue;
      } else if (context && video.videoWidth > 0) {
        canvas.width = video.videoWidth;
        canvas.height = video.videoHeight;
        context.drawImage(video, 0, 0);
        const image = context.getImageData(0, 0, canvas.width, canvas.height);
        text = jsQR(image.data, image.width, image.height, { inversionAttempts: 'dontInvert' })?.data;
      }
    } catch {
      text = undefined;
    }
    if (text && !stopped) {
      stop();
      onResult(text);
      return;
    }
    timer = window.setTimeout(() => void tick(), 200);
  };
  void tick();
  return { stop, method: detector ? 'BarcodeDetector' : 'jsQR' };
}

// QR codes on the wallet pages: rendering one (qrcode) and reading one with the camera (jsqr).
import jsQR from 'jsqr';
import QRCode from 'qrcode';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';

export function QrImage({ text, alt, testId }: { text: string; alt: string; testId?: string }) {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    // Upper-case codes fit alphanumeric mode (denser); anything else is encoded in byte mode.
    const made = /^[0-9A-Z $%*+\-./:]+$/.test(text) ? QRCode.toDataURL([{ data: text, mode: 'alphanumeric' }], { errorCorrectionLevel: 'M', margin: 2, width: 560 }) : QRCode.toDataURL(text, { errorCorrectionLevel: 'M', margin: 2, width: 560 });
    made
      .then((u) => live && setUrl(u))
      .catch(() => live && setUrl(null));
    return () => {
      live = false;
    };
  }, [text]);
  return url ? <img src={url} alt={alt} data-testid={testId} /> : null;
}

/** Reads QR codes from the camera until one is found (or the component goes away). */
export function QrScanner({ onText, onError }: { onText: (text: string) => void; onError: () => void }) {
  const { t } = useTranslation();
  const video = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    let stream: MediaStream | null = null;
    let frame = 0;
    let done = false;
    const canvas = document.createElement('canvas');
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    const tick = () => {
      const v = video.current;
      if (done || !v || !ctx) return;
      if (v.readyState >= 2 && v.videoWidth) {
        canvas.width = v.videoWidth;
        canvas.height = v.videoHeight;
        ctx.drawImage(v, 0, 0);
        const img = ctx.getImageData(0, 0, canvas.width, canvas.height);
        const found = jsQR(img.data, img.width, img.height, { inversionAttempts: 'dontInvert' });
        if (found?.data) {
          done = true;
          onText(found.data);
          return;
        }
      }
      frame = requestAnimationFrame(tick);
    };
    if (!navigator.mediaDevices) {
      onError();
      return;
    }
    navigator.mediaDevices
      .getUserMedia({ video: { facingMode: 'environment' } })
      .then((s) => {
        stream = s;
        if (video.current) {
          video.current.srcObject = s;
          void video.current.play();
        }
        frame = requestAnimationFrame(tick);
      })
      .catch(onError);
    return () => {
      done = true;
      cancelAnimationFrame(frame);
      stream?.getTracks().forEach((tr) => tr.stop());
    };
  }, [onText, onError]);
  return <video ref={video} className="scan-video" muted playsInline aria-label={t('wallet.show.scan')} />;
}

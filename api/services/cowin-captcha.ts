/**
 * What `POST /api/v2/auth/getRecaptcha` answers: Co-WIN's `{ captcha }`, an SVG image 150×50 of five characters
 * (booking clients written in May 2021 fetch it before scheduling, some enlarge it by replacing its
 * `width="150" height="50"`). Co-WIN stopped checking the answer in June 2021 and so does Teeka: `captcha` is
 * accepted and ignored on schedule and reschedule, since bookings need the mobile's OTP login and are capped per
 * account. The image is still a real one, so a client that shows it to a person or decodes it goes on working.
 */
import { randomInt } from 'node:crypto';

/** Letters and digits that cannot be mistaken for one another. */
const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZabcdefghjkmnpqrstuvwxyz23456789';
const LENGTH = 5;

export function captchaSvg(): string {
  const text = Array.from({ length: LENGTH }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
  const lines = Array.from({ length: 3 }, () => {
    const y1 = randomInt(5, 45);
    const y2 = randomInt(5, 45);
    return `<path d="M${randomInt(0, 20)} ${y1} C50 ${randomInt(0, 50)},100 ${randomInt(0, 50)},${randomInt(130, 150)} ${y2}" stroke="#${randomInt(0x444444, 0x999999).toString(16)}" fill="none"/>`;
  });
  const glyphs = [...text].map(
    (character, i) =>
      `<text x="${14 + i * 26}" y="${randomInt(30, 40)}" transform="rotate(${randomInt(-20, 21)} ${22 + i * 26} 25)" font-family="sans-serif" font-size="${randomInt(26, 32)}" fill="#${randomInt(0x111111, 0x555555).toString(16)}">${character}</text>`,
  );
  return (
    '<svg xmlns="http://www.w3.org/2000/svg" width="150" height="50" viewBox="0,0,150,50">' +
    '<rect width="100%" height="100%" fill="#f4f4f4"/>' +
    lines.join('') +
    glyphs.join('') +
    '</svg>'
  );
}

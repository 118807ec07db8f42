import { isSafeMessageText } from '../wording/safe-text';
import { MAX_TEXT_MESSAGE_CHARACTERS, textMessage } from './text-message';

describe('textMessage', () => {
  it('When a text has \\r\\n or lone \\r line breaks, then each becomes \\n and nothing else changes', () => {
    expect(textMessage('one\r\ntwo\rthree\nfour\t!')).toEqual({ text: 'one\ntwo\nthree\nfour\t!' });
  });

  it('When a text is empty or only whitespace, then it is refused', () => {
    expect(textMessage('')).toEqual({ problem: 'must not be empty' });
    expect(textMessage(' \r\n\t ')).toEqual({ problem: 'must not be empty' });
  });

  it('When characters outside the BMP are counted, then each is one character, up to the limit', () => {
    const atLimit = '🙏'.repeat(MAX_TEXT_MESSAGE_CHARACTERS);
    expect(textMessage(atLimit)).toEqual({ text: atLimit });
    expect(textMessage(`${atLimit}x`)).toEqual({
      problem: `must be at most ${MAX_TEXT_MESSAGE_CHARACTERS} characters (got ${MAX_TEXT_MESSAGE_CHARACTERS + 1})`,
    });
  });
});

describe('isSafeMessageText', () => {
  it.each([
    ['line breaks and tabs', 'Dear Amina,\r\n\tpay by Friday.', true],
    ['Swahili, emoji and symbols', 'Asante sana! 🙏 50% & #A-17', true],
    ['a bell', 'ring\u0007', false],
    ['a NUL', 'a\u0000b', false],
    ['a right-to-left override', 'pay \u202Eto', false],
    ['a Unicode line separator', 'one\u2028two', false],
    ['a lone surrogate', 'x\uD800y', false],
  ])('When the text holds %s, then it is %s', (_case, text, safe) => {
    expect(isSafeMessageText(text)).toBe(safe);
  });
});

package no.followup.delivery;

/**
 * The GSM 03.38 default alphabet (basic table): a text made only of these characters is sent as
 * 7-bit SMS, 160 characters to a message. Anything else (even one emoji) switches the whole message
 * to UCS-2 with 70 characters.
 */
final class Gsm7 {

  private static final String BASIC =
      "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
          + "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";

  private Gsm7() {}

  static boolean isBasic(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (BASIC.indexOf(text.charAt(i)) < 0) {
        return false;
      }
    }
    return true;
  }
}

package io.llavaseg.topology.image;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Which resolved addresses an http(s) image reference may be fetched from. The host allow-list
 * ({@code llavaseg.reference.hosts}) names hosts, but a name resolves at fetch time: a DNS answer
 * that changed since the list was written (DNS rebinding) could point an allowed name at the
 * instance itself, the cloud metadata service or the private network. So every resolved address is
 * checked, and the connection goes to an address that was checked (no second resolution). Refused
 * unless {@code llavaseg.reference.allow-private-addresses} is true:
 *
 * <ul>
 *   <li>the wildcard address ({@code 0.0.0.0}, {@code ::}) and {@code 0.0.0.0/8};
 *   <li>loopback ({@code 127.0.0.0/8}, {@code ::1});
 *   <li>link-local ({@code 169.254.0.0/16}: the metadata service; {@code fe80::/10});
 *   <li>private ({@code 10.0.0.0/8}, {@code 172.16.0.0/12}, {@code 192.168.0.0/16}, the shared
 *       {@code 100.64.0.0/10}, IPv6 unique local {@code fc00::/7} and site-local {@code fec0::/10});
 *   <li>multicast; IPv6 addresses that embed one of the above IPv4 addresses (IPv4-compatible,
 *       {@code 64:ff9b::/96}). IPv4-mapped IPv6 addresses are IPv4 addresses to Java and checked as such.
 * </ul>
 */
final class AddressPolicy {
  private AddressPolicy() {}

  /** Why {@code address} is refused without private addresses allowed; null when it is public. */
  static String refusal(InetAddress address) {
    if (address.isAnyLocalAddress()) {
      return "the wildcard address";
    }
    if (address.isLoopbackAddress()) {
      return "a loopback address";
    }
    if (address.isLinkLocalAddress()) {
      return "a link-local address";
    }
    if (address.isSiteLocalAddress()) {
      return "a private address";
    }
    if (address.isMulticastAddress()) {
      return "a multicast address";
    }
    byte[] b = address.getAddress();
    if (address instanceof Inet4Address) {
      int first = b[0] & 0xFF;
      if (first == 0) {
        return "an address of 0.0.0.0/8";
      }
      if (first == 100 && (b[1] & 0xC0) == 64) {
        return "a shared (carrier-grade NAT) address";
      }
      return null;
    }
    if (address instanceof Inet6Address v6) {
      if ((b[0] & 0xFE) == 0xFC) {
        return "a unique local address";
      }
      boolean nat64 = b[0] == 0 && b[1] == 0x64 && (b[2] & 0xFF) == 0xFF && (b[3] & 0xFF) == 0x9B
          && allZero(b, 4, 12);
      if (v6.isIPv4CompatibleAddress() || nat64) {
        try {
          String embedded = refusal(InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]}));
          return embedded == null ? null : "an IPv6 address embedding " + embedded;
        } catch (UnknownHostException e) {
          return "an unreadable address";
        }
      }
    }
    return null;
  }

  private static boolean allZero(byte[] b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return true;
  }
}

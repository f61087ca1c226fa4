package io.llavaseg.topology.image;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.InetAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AddressPolicyTest {
  @ParameterizedTest
  @ValueSource(strings = {"127.0.0.1", "127.8.9.10", "::1", "0.0.0.0", "::", "0.1.2.3", "10.0.0.1", "172.16.0.1",
      "172.31.255.254", "192.168.1.1", "169.254.169.254", "fe80::1", "fc00::1", "fd12:3456::1", "fec0::1",
      "100.64.0.1", "224.0.0.1", "::ffff:10.0.0.1", "::ffff:127.0.0.1", "::10.0.0.1", "64:ff9b::a9fe:a9fe"})
  void shouldRefuseInternalAddresses(String address) throws Exception {
    assertNotNull(AddressPolicy.refusal(InetAddress.getByName(address)), address);
  }

  @ParameterizedTest
  @ValueSource(strings = {"93.184.216.34", "8.8.8.8", "172.32.0.1", "172.15.255.255", "100.128.0.1", "11.0.0.1",
      "2606:4700::1111", "64:ff9b::808:808"})
  void shouldAcceptPublicAddresses(String address) throws Exception {
    assertNull(AddressPolicy.refusal(InetAddress.getByName(address)), address);
  }
}

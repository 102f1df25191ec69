// RFC 8448 section 3 (Simple 1-RTT Handshake) values used by several tests. Every value here is
// tied to the others cryptographically (public keys from private keys, secrets from the hello
// bytes, the record from the keys), so a transcription error makes a test fail, never pass.
import { fromHex } from '../../../src/core/crypto/bytes';

export const rfc8448 = {
  clientPrivate: fromHex('49af42ba7f7994852d713ef2784bcbcaa7911de26adc5642cb634540e7ea5005'),
  clientPublic: fromHex('99381de560e4bd43d23d8e435a7dbafeb3c06e51c13cae4d5413691e529aaf2c'),
  serverPrivate: fromHex('b1580eeadf6dd589b8ef4f2d5652578cc810e9980191ec8d058308cea216a21e'),
  serverPublic: fromHex('c9828876112095fe66762bdbf7c672e156d6cc253b833df1dd69b1b04e751f0f'),
  ecdhe: fromHex('8bd4054fb55b9d63fdfbacf9f04b9f0d35e6d63f537563efd46272900f89492d'),
  clientHello: fromHex(`010000c00303cb34ecb1e78163ba1c38c6dacb196a6dffa21a8d9912ec18a2ef6283024dece7000006130113031302
    010000910000000b0009000006736572766572ff01000100000a00140012001d0017001800190100010101020103010400230000
    003300260024001d002099381de560e4bd43d23d8e435a7dbafeb3c06e51c13cae4d5413691e529aaf2c002b0003020304000d00
    20001e040305030603020308040805080604010501060102010402050206020202002d00020101001c00024001`),
  serverHello: fromHex(`020000560303a6af06a4121860dc5e6e60249cd34c95930c8ac5cb1434dac155772ed3e2692800130100002e0033
    0024001d0020c9828876112095fe66762bdbf7c672e156d6cc253b833df1dd69b1b04e751f0f002b00020304`),
  earlySecret: fromHex('33ad0a1c607ec03b09e6cd9893680ce210adf300aa1f2660e1b22e10f170f92a'),
  derivedFromEarly: fromHex('6f2615a108c702c5678f54fc9dbab69716c076189c48250cebeac3576c3611ba'),
  handshakeSecret: fromHex('1dc826e93606aa6fdc0aadc12f741b01046aa6b99f691ed221a9f0ca043fbeac'),
  clientHandshakeTrafficSecret: fromHex('b3eddb126e067f35a780b3abf45e2d8f3b1a950738f52e9600746a0e27a55a21'),
  serverHandshakeTrafficSecret: fromHex('b67b7d690cc16c4e75e54213cb2d37b4e9c912bcded9105d42befd59d391ad38'),
  serverHandshakeKey: fromHex('3fce516009c21727d0f2e4e86ee403bc'),
  serverHandshakeIv: fromHex('5d313eb2671276ee13000b30'),
  clientHandshakeKey: fromHex('dbfaa693d1762c5b666af5d950258d01'),
  clientHandshakeIv: fromHex('5bd3c71b836e0b76bb73265f'),
  serverFinishedKey: fromHex('008d3b66f816ea559f96b537e885c31fc068bf492c652f01f288a1d8cdc19fc8'),
  derivedFromHandshake: fromHex('43de77e0c77713859a944db9db2590b53190a65b3ee2e4f12dd7a0bb7ce254b4'),
  masterSecret: fromHex('18df06843d13a08bf2a449844c5f8a478001bc4d4c627984d5a41da8d0402919'),
  clientApplicationTrafficSecret: fromHex('9e40646ce79a7f9dc05af8889bce6552875afa0b06df0087f792ebb7c17504a5'),
  serverApplicationTrafficSecret: fromHex('a11af9f05531f856ad47116b45a950328204b4f44bfb6b3a4b4f1f3fcb631643'),
  serverApplicationKey: fromHex('9f02283b6c9c07efc26bb9f2ac92e356'),
  serverApplicationIv: fromHex('cf782b88dd83549aadf1e984'),
  clientApplicationKey: fromHex('17422dda596ed5d9acd890e3c63f5051'),
  clientApplicationIv: fromHex('5b78923dee08579033e523d9'),
  resumptionMasterSecret: fromHex('7df235f2031d2a051287d02b0241b0bfdaf86cc856231f2d5aba46c434ec196c'),
  /** PSK for ticket_nonce 00 00 (RFC 8448 section 3, used in section 4) */
  ticketPsk: fromHex('4ecd0eb6ec3b4d87f5d6028f922ca4c5851a277fd41311c9e62d2c9492e1c4f3'),
  /** the client's first application data record: 50 bytes 00..31 under client_application_traffic_secret_0 */
  clientAppRecord: fromHex(`17030300 43a23f7054b62c94d0affafe8228ba55cbefacea42f914aa66bcab3f2b9819a8a5b46b395bd54a9a20441e
    2b62974e1f5a6292a2977014bd1e3deae63aeebb21694915e4`),
};

export const counting = (n: number): Uint8Array => Uint8Array.from({ length: n }, (_, i) => i & 0xff);

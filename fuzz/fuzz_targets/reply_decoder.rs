//! Fuzzes the reply side of the IPVS family: a datagram as the kernel
//! would send it goes through the client's datagram reader, the message
//! decoder and every model conversion. Nothing may panic.
#![no_main]

use ipvsadm::ipvs::client::read_datagram;
use ipvsadm::ipvs::convert::*;
use ipvsadm::ipvs::family::{CmdAttr, IpvsMessage};
use ipvsadm::ipvs::Family;
use libfuzzer_sys::fuzz_target;
use netlink_packet_core::{NetlinkMessage, NetlinkPayload};
use netlink_packet_generic::GenlMessage;

fuzz_target!(|data: &[u8]| {
    let mut interrupted = false;
    let _ = read_datagram(data, 1, 7, &mut interrupted, &mut |bytes| {
        if let Ok(nl) = NetlinkMessage::<GenlMessage<IpvsMessage>>::deserialize(bytes) {
            if let NetlinkPayload::InnerMessage(m) = nl.payload {
                let _ = info_from_attrs(&m.payload.attrs);
                let _ = timeouts_from_attrs(&m.payload.attrs);
                for a in &m.payload.attrs {
                    match a {
                        CmdAttr::Service(s) => {
                            let _ = service_from_attrs(s);
                        }
                        CmdAttr::Dest(d) => {
                            let _ = dest_from_attrs(d, Family::Inet);
                            let _ = dest_from_attrs(d, Family::Inet6);
                        }
                        CmdAttr::Daemon(d) => {
                            let _ = daemon_from_attrs(d);
                        }
                        _ => {}
                    }
                }
            }
        }
        Ok(())
    });
    // The decoder straight on the bytes too, without the reader's checks.
    let _ = NetlinkMessage::<GenlMessage<IpvsMessage>>::deserialize(data);
});

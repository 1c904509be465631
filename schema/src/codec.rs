//! Conversions between messages and `vcd-mqtt-codec` PUBLISH packets (feature `codec`).

use vcd_mqtt_codec::{Publish, QosPid, TopicName};

use crate::error::{Error, Layer};
use crate::message::Message;

fn codec_error(path: &str, e: vcd_mqtt_codec::Error) -> Error {
    let msg = match e.statement_id() {
        Some(id) => format!("{e} [{id}]"),
        None => e.to_string(),
    };
    Error::new(Layer::Encode, path, msg)
}

impl<'a> Message<'a> {
    /// Decodes the message carried by a decoded PUBLISH, borrowing from its payload.
    ///
    /// ```
    /// use vcd_mqtt_codec::{Publish, QosPid, TopicName};
    /// use vcd_mqtt_schema::{Message, MessageType};
    /// let topic = TopicName::new("topic/extension/acme/sizer/1.2.3/ext").unwrap();
    /// let publish = Publish::new(topic, QosPid::AtMostOnce, br#"{"type":"EVENT","payload":"{}"}"#);
    /// assert_eq!(Message::from_publish(&publish)?.kind, MessageType::Event);
    /// # Ok::<(), vcd_mqtt_schema::Error>(())
    /// ```
    pub fn from_publish(publish: &Publish<'a>) -> Result<Message<'a>, Error> {
        Message::from_slice(publish.payload)
    }

    /// Encodes the message into `payload_buf` (cleared first) and returns a PUBLISH on `topic`
    /// with `qos_pid` that carries it (DUP and RETAIN unset). Fails when `topic` is not a valid
    /// topic name (empty, wildcards, U+0000, over 65,535 bytes).
    pub fn to_publish<'b>(
        &self,
        topic: &'b str,
        qos_pid: QosPid,
        payload_buf: &'b mut Vec<u8>,
    ) -> Result<Publish<'b>, Error> {
        let topic = TopicName::new(topic).map_err(|e| codec_error("topic", e))?;
        payload_buf.clear();
        serde_json::to_writer(&mut *payload_buf, self)
            .map_err(|e| Error::new(Layer::Encode, "", e.to_string()))?;
        Ok(Publish::new(topic, qos_pid, payload_buf))
    }

    /// Appends a whole PUBLISH packet (fixed header, topic, packet id, JSON payload) carrying
    /// this message to `out` and returns its length; on error `out` is unchanged.
    ///
    /// ```
    /// use vcd_mqtt_codec::{decode, Packet, PacketId, QosPid, Status};
    /// use vcd_mqtt_schema::Message;
    /// let msg = Message::from_json(r#"{"type":"BEHAVIOR_RESPONSE","headers":{"taskId":"t1"},"payload":"done"}"#)?;
    /// let mut wire = Vec::new();
    /// let qos = QosPid::AtLeastOnce(PacketId::new(7).unwrap());
    /// let n = msg.encode_publish("topic/extension/acme/sizer/1.2.3/vcd", qos, false, &mut wire)?;
    /// assert_eq!(n, wire.len());
    /// let Ok(Status::Complete((Packet::Publish(p), used))) = decode(&wire) else { panic!() };
    /// assert_eq!(used, n);
    /// assert_eq!(Message::from_publish(&p)?, msg);
    /// # Ok::<(), vcd_mqtt_schema::Error>(())
    /// ```
    pub fn encode_publish(
        &self,
        topic: &str,
        qos_pid: QosPid,
        retain: bool,
        out: &mut Vec<u8>,
    ) -> Result<usize, Error> {
        let topic = TopicName::new(topic).map_err(|e| codec_error("topic", e))?;
        let payload = self.to_vec()?;
        let mut publish = Publish::new(topic, qos_pid, &payload);
        publish.retain = retain;
        publish.encode_to_vec(out).map_err(|e| codec_error("", e))
    }
}

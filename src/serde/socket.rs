//! Typed sends and receives on [`Socket`].

use ::serde::de::DeserializeOwned;
use ::serde::Serialize;

use super::codec::{Codec, Json, MessagePack};
use super::error::SerdeError;
use super::frames::{encode_frame, DecodeFrames, EncodeFrames};
use crate::message::Multipart;
use crate::socket::Socket;

#[cfg_attr(docsrs, doc(cfg(feature = "serde")))]
impl Socket {
    /// Sends `value` as one frame encoded with `codec`. `flags`: [`DONTWAIT`],
    /// [`SNDMORE`] (so a typed frame can follow raw ones, or precede them).
    ///
    /// Nothing is sent when the value cannot be encoded.
    ///
    /// [`DONTWAIT`]: crate::DONTWAIT
    /// [`SNDMORE`]: crate::SNDMORE
    pub fn send_serialized<C, T>(&self, value: &T, codec: C, flags: i32) -> Result<(), SerdeError>
    where
        C: Codec,
        T: Serialize + ?Sized,
    {
        let frame = encode_frame(&codec, value, 0)?;
        Ok(self.send(frame, flags)?)
    }

    /// Receives one frame and decodes it with `codec`.
    ///
    /// One frame, as [`Socket::recv_msg`]: the other frames of a multipart
    /// message wait for the next receive. When it cannot be decoded, the error
    /// keeps the frame ([`SerdeError::into_frames`]).
    pub fn recv_serialized<C, T>(&self, codec: C, flags: i32) -> Result<T, SerdeError>
    where
        C: Codec,
        T: DeserializeOwned,
    {
        let mut frames = Multipart::new();
        frames.push_back(self.recv_msg(flags)?);
        <(T,)>::decode_frames(frames, &codec).map(|(value,)| value)
    }

    /// Sends the values of `values` as one multipart message, one frame each,
    /// encoded with `codec`: a tuple (each value its own type), an array, a
    /// slice or a vector.
    ///
    /// Whole or nothing, as [`Socket::send_multipart_msg`]; nothing is sent when
    /// a value cannot be encoded, and an empty slice sends nothing.
    ///
    /// ```
    /// # use zmq::Json;
    /// let ctx = zmq::Context::new();
    /// let (a, b) = (ctx.socket(zmq::PAIR).unwrap(), ctx.socket(zmq::PAIR).unwrap());
    /// a.bind("inproc://typed-multipart-doc").unwrap();
    /// b.connect("inproc://typed-multipart-doc").unwrap();
    ///
    /// a.send_serialized_multipart(&("topic", [1.5, 2.0]), Json, 0).unwrap();
    /// let (topic, values): (String, Vec<f64>) = b.recv_serialized_multipart(Json, 0).unwrap();
    /// assert_eq!((topic.as_str(), values), ("topic", vec![1.5, 2.0]));
    /// ```
    pub fn send_serialized_multipart<C, F>(
        &self,
        values: &F,
        codec: C,
        flags: i32,
    ) -> Result<(), SerdeError>
    where
        C: Codec,
        F: EncodeFrames + ?Sized,
    {
        let mut frames = values.encode_frames(&codec)?;
        Ok(self.send_multipart_msg(&mut frames, flags)?)
    }

    /// Receives a multipart message and decodes its frames with `codec`, one
    /// value each: into a tuple or an array (exactly as many frames as values)
    /// or a vector (any number).
    ///
    /// When it cannot be decoded (a frame in the wrong format, another number
    /// of frames), the error keeps every frame ([`SerdeError::into_frames`]).
    pub fn recv_serialized_multipart<C, F>(&self, codec: C, flags: i32) -> Result<F, SerdeError>
    where
        C: Codec,
        F: DecodeFrames,
    {
        let mut frames = Multipart::new();
        self.recv_multipart_msg(&mut frames, flags)?;
        F::decode_frames(frames, &codec)
    }

    /// Sends `value` as one frame of JSON, as pyzmq's `send_json` does
    /// ([`Json`]).
    ///
    /// ```
    /// #[derive(serde::Serialize, serde::Deserialize, Debug, PartialEq)]
    /// struct Job {
    ///     id: u32,
    ///     name: String,
    /// }
    ///
    /// let ctx = zmq::Context::new();
    /// let (a, b) = (ctx.socket(zmq::PAIR).unwrap(), ctx.socket(zmq::PAIR).unwrap());
    /// a.bind("inproc://json-doc").unwrap();
    /// b.connect("inproc://json-doc").unwrap();
    ///
    /// a.send_json(&Job { id: 7, name: "build".into() }, 0).unwrap();
    /// let job: Job = b.recv_json(0).unwrap();
    /// assert_eq!(job, Job { id: 7, name: "build".into() });
    ///
    /// a.send("{\"id\": 8", 0).unwrap(); // cut short
    /// let err = b.recv_json::<Job>(0).unwrap_err();
    /// assert_eq!(&err.frames().unwrap()[0][..], b"{\"id\": 8");
    /// ```
    pub fn send_json<T: Serialize + ?Sized>(
        &self,
        value: &T,
        flags: i32,
    ) -> Result<(), SerdeError> {
        self.send_serialized(value, Json, flags)
    }

    /// Receives one frame of JSON, as pyzmq's `recv_json` does ([`Json`]); see
    /// [`Socket::recv_serialized`].
    pub fn recv_json<T: DeserializeOwned>(&self, flags: i32) -> Result<T, SerdeError> {
        self.recv_serialized(Json, flags)
    }

    /// Sends `value` as one frame of MessagePack ([`MessagePack`]: structs as
    /// maps, what Python's `msgpack.unpackb` expects).
    pub fn send_msgpack<T: Serialize + ?Sized>(
        &self,
        value: &T,
        flags: i32,
    ) -> Result<(), SerdeError> {
        self.send_serialized(value, MessagePack, flags)
    }

    /// Receives one frame of MessagePack ([`MessagePack`]); see
    /// [`Socket::recv_serialized`].
    pub fn recv_msgpack<T: DeserializeOwned>(&self, flags: i32) -> Result<T, SerdeError> {
        self.recv_serialized(MessagePack, flags)
    }
}

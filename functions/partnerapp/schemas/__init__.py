"""marshmallow schemas: the wire format in and out, translated to and from the domain."""

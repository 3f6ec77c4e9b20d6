"""Law-making's registrations and event reactions of this part (imported by ``subscribers``)."""

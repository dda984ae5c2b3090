"""The shipment list and the shipment page: milestones, the temperature chart, excursions, the
tracking link, the EPCIS download."""

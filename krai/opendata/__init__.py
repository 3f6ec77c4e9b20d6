"""Open data: datasets with passports, table and map views, and the formats harvesters speak."""

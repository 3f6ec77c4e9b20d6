"""A project's plan in and out of Krai: the WBS table (XLSX, read back by the import kernel's ``projects.plan``
importer) and MS Project XML (MSPDI), both written from and read into one row model (``wbsrows``).

* ``wbsrows`` — the columns of the WBS table, the rows of a plan, and the predecessor notation ("1.1FS+2");
* ``xlsx`` — the WBS sheet written in the importer's own layout, so an export imports again;
* ``mspdi`` — MS Project XML written, and read (defusedxml, a size limit) into the same rows;
* ``planload`` — a set of rows checked whole (tree, dates, links, loops) and stored in bulk with one event.
"""

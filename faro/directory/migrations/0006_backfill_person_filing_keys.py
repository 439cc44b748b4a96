"""Fill the filing keys and search text of the people recorded before they existed."""

import unicodedata
from typing import Any

from django.db import migrations

CHUNK = 2000


def fill(apps: Any, schema_editor: Any) -> None:
    from faro.lib.collation import filing_key, search_form  # the keys' one definition

    Person = apps.get_model("directory", "Person")
    fields = ["first_name", "last_name", "filing_key", "filing_key_es", "search_text"]
    people = Person.objects.order_by("pk").only("pk", "first_name", "last_name", "email")
    batch = []
    for person in people.iterator(chunk_size=CHUNK):
        person.first_name = unicodedata.normalize("NFC", person.first_name or "")
        person.last_name = unicodedata.normalize("NFC", person.last_name or "")
        names = (person.last_name, person.first_name)
        person.filing_key, person.filing_key_es = filing_key(names)[:700], filing_key(names, "es")[:700]
        person.search_text = " ".join(search_form(part) for part in (*names, person.email or ""))[:700]
        batch.append(person)
        if len(batch) == CHUNK:
            Person.objects.bulk_update(batch, fields)
            batch = []
    Person.objects.bulk_update(batch, fields)


class Migration(migrations.Migration):
    dependencies = [("directory", "0005_person_filing_keys")]
    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]

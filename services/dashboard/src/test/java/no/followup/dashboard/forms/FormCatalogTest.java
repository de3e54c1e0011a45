package no.followup.dashboard.forms;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import no.followup.dashboard.forms.FormCatalog.Field;
import no.followup.dashboard.forms.FormCatalog.Form;
import no.followup.dashboard.forms.FormCatalog.Input;
import no.followup.dashboard.web.Messages;
import no.followup.events.FollowUpEvent;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

class FormCatalogTest {

  private final FormCatalog catalog = new FormCatalog();

  @Test
  void everyEventTypeOfTheContractHasAFormWithEveryPayloadField() {
    // every payload but the project's definition (its leads post it) and the intake's own sealed payload
    List<Schema> payloads = FollowUpEvent.getClassSchema().getField("payload").schema().getTypes().stream()
        .filter(payload -> !List.of("CohortDefined", "SpecialistCapacitySet", "SealedPayload").contains(payload.getName())).toList();
    assertThat(payloads).extracting(Schema::getName).contains("ParticipantReferred", "ReferralDeclined");
    assertThat(catalog.forms()).extracting(Form::type).containsExactlyElementsOf(payloads.stream().map(Schema::getName).toList());
    for (Schema payload : payloads) {
      assertThat(catalog.form(payload.getName()).orElseThrow().fields()).extracting(Field::name).as(payload.getName())
          .containsExactlyElementsOf(payload.getFields().stream().map(Schema.Field::name).toList());
    }
    assertThat(catalog.forms()).filteredOn(Form::restricted).extracting(Form::type).containsExactly("ParticipantErased");
  }

  @Test
  void inputsFollowTheSchemaTypes() {
    assertThat(field("ParticipantEnrolled", "targetGroups")).satisfies(f -> {
      assertThat(f.input()).isEqualTo(Input.CHECKBOXES);
      assertThat(f.enumName()).isEqualTo("TargetGroup");
      assertThat(f.options()).contains("YOUTH_UNDER_30", "REFUGEE_WOMEN").doesNotContain("UNKNOWN");
      assertThat(f.required()).isTrue();
    });
    assertThat(field("ParticipantEnrolled", "coordinatorId").input()).isEqualTo(Input.STAFF);
    assertThat(field("ParticipantEnrolled", "counsellorId")).satisfies(f -> {
      assertThat(f.input()).isEqualTo(Input.TEXT);
      assertThat(f.required()).as("nullable").isFalse();
    });
    assertThat(field("MeetingScheduled", "meetingId").input()).isEqualTo(Input.NEW_MEETING);
    assertThat(field("MeetingScheduled", "startsAt").input()).isEqualTo(Input.DATETIME);
    assertThat(field("MeetingScheduled", "kind").options()).contains("OFFICE", "HOME_VISIT", "OTHER");
    assertThat(field("MeetingMissed", "meetingId")).satisfies(f -> {
      assertThat(f.input()).isEqualTo(Input.MEETING);
      assertThat(f.required()).isTrue();
    });
    assertThat(field("HomeVisitCompleted", "meetingId").required()).as("a visit need not have been scheduled").isFalse();
    assertThat(field("MeetingRescheduled", "kind").required()).isFalse();
    assertThat(field("MeetingCancelled", "cancelledBy").options()).containsExactly("STAFF", "PARTICIPANT");
    assertThat(field("ContactMade", "reached").input()).isEqualTo(Input.YES_NO);
    assertThat(field("JobStarted", "hoursPerWeek")).satisfies(f -> {
      assertThat(f.input()).isEqualTo(Input.NUMBER);
      assertThat(f.required()).isFalse();
    });
    assertThat(catalog.form("IndividualPlanStarted").orElseThrow().fields()).isEmpty();
    assertThat(field("MeasureStarted", "measure").options()).as("IPS is started as the job specialist's service")
        .contains("AFT", "KVP").doesNotContain("IPS");
    assertThat(field("ServiceStarted", "service").options()).contains("JOB_SUPPORT_IPS");
  }

  @Test
  void theCoopWoncaFormHasTheSixChartsAndPainEachOneToFive() {
    List<Field> fields = catalog.form("FunctionScoreRecorded").orElseThrow().fields();
    assertThat(fields).extracting(Field::name).containsExactly("physicalFitness", "feelings", "dailyActivities",
        "socialActivities", "changeInHealth", "overallHealth", "pain");
    assertThat(fields).allSatisfy(f -> {
      assertThat(f.input()).isEqualTo(Input.SCORE);
      assertThat(f.min()).isEqualTo(1);
      assertThat(f.max()).isEqualTo(5);
      assertThat(f.required()).isTrue();
    });
  }

  @Test
  void everyFormEveryFieldEveryOptionAndEveryChartsWordingHasALabelInBothLanguages() {
    List<String> keys = new ArrayList<>();
    for (Form form : catalog.forms()) {
      keys.add("eventType." + form.type());
      for (Field f : form.fields()) {
        keys.add("field." + f.name());
        f.options().forEach(o -> keys.add("enum." + f.enumName() + "." + o));
        if (f.input() == Input.SCORE) {
          keys.add("score." + f.name() + ".question");
          keys.add("score." + f.name() + ".best");
          keys.add("score." + f.name() + ".worst");
        }
      }
    }
    assertThat(keys).hasSizeGreaterThan(100);
    Messages messages = new Messages();
    for (String lang : Messages.LANGUAGES) {
      Map<String, String> labels = messages.labels(lang);
      assertThat(labels).as(lang).containsKeys(keys.toArray(String[]::new));
    }
    assertThat(messages.labels("en").get("score.pain.worst")).startsWith("5");
    assertThat(messages.labels("nb").get("form.scoreScale")).contains("5 er verst");
  }

  private Field field(String type, String name) {
    return catalog.form(type).orElseThrow().fields().stream().filter(f -> f.name().equals(name)).findFirst().orElseThrow();
  }
}

package io.heimdall.inference;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ModelGeneratorTest {

  @Test
  void committedCentroidModelIsWhatTheGeneratorBuilds() {
    assertThat(ReferenceModels.weightedCentroid())
        .isEqualTo(ModelGenerator.weightedCentroid().toByteArray());
  }

  @Test
  void committedCnnIsWhatTheGeneratorBuilds() {
    assertThat(ReferenceModels.localizationCnn())
        .isEqualTo(ModelGenerator.referenceCnn().toByteArray());
  }

  @Test
  void committedInt8CnnIsWhatTheGeneratorBuilds() {
    assertThat(ReferenceModels.localizationCnnInt8())
        .isEqualTo(ModelGenerator.referenceCnnInt8().toByteArray());
  }

  @Test
  void modelsStaySmall() {
    assertThat(ReferenceModels.weightedCentroid().length).isLessThan(2 << 20);
    assertThat(ReferenceModels.localizationCnn().length).isLessThan(2 << 20);
    assertThat(ReferenceModels.localizationCnnInt8().length).isLessThan(2 << 20);
  }
}
